using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>
/// Generated data sets, each from a fixed seed, with a training set and a test set of the same distribution:
/// dense regression with labels around 10⁵, sparse text-like binary data (2¹⁷ features, about 40 Zipf-distributed
/// tokens a row) and dense multiclass data (100 features, 10 classes).
/// </summary>
internal static class SyntheticMatrixData
{
    /// <summary>Training rows of each generated set.</summary>
    public const int TrainRows = 300_000;

    /// <summary>Test rows of each generated set.</summary>
    public const int TestRows = 60_000;

    /// <summary>Features of the sparse text-like set: a hashed vocabulary of 2¹⁷.</summary>
    public const int TextFeatures = 1 << 17;

    /// <summary>Features of the dense sets.</summary>
    public const int DenseFeatures = 100;

    /// <summary>Classes of the multiclass set.</summary>
    public const int Classes = 10;

    /// <summary>
    /// Prices in dollars: y = 200,000 + 50,000·(w·z)/‖w‖ + 20,000·noise, with features x_j = offset_j + scale_j·z_j of
    /// scales 10⁻² to 10³ (badly conditioned raw features, as in the defaults sweep). The best R² is about 0.86.
    /// </summary>
    public static MatrixRows DenseRegression(MLContext ml)
    {
        var random = new Random(101);
        double[] w = [.. Enumerable.Range(0, DenseFeatures).Select(_ => random.NextDouble() * 2 - 1)];
        double norm = Math.Sqrt(w.Sum(v => v * v));
        double[] scale = [.. Enumerable.Range(0, DenseFeatures).Select(j => Math.Pow(10, -2 + 5.0 * j / (DenseFeatures - 1)))];
        double[] offset = [.. Enumerable.Range(0, DenseFeatures).Select(j => (random.NextDouble() * 2 - 1) * 5 * scale[j])];
        DenseRow[] Rows(int count)
        {
            var rows = new DenseRow[count];
            for (int i = 0; i < count; i++)
            {
                float[] x = new float[DenseFeatures];
                double z = 0;
                for (int j = 0; j < DenseFeatures; j++)
                {
                    double g = Gaussian(random);
                    x[j] = (float)(offset[j] + scale[j] * g);
                    z += w[j] * g;
                }

                rows[i] = new DenseRow { Label = (float)(200_000 + 50_000 * z / norm + 20_000 * Gaussian(random)), Features = x };
            }

            return rows;
        }

        return new(Dense(ml, Rows(TrainRows)), Dense(ml, Rows(TestRows)));
    }

    /// <summary>
    /// Text-like binary data: each row draws 20 to 60 tokens from a Zipf(1) distribution over 2¹⁷ token ranks, mapped
    /// to feature indices by a fixed permutation (as hashing would scatter them); a feature's value is its token's
    /// count in the row. Each token has a weight N(0, 1); the row is positive with probability σ(1.5·Σw/√n − 0.5).
    /// </summary>
    public static MatrixRows SparseTextBinary(MLContext ml)
    {
        var random = new Random(202);
        int[] featureOf = [.. Enumerable.Range(0, TextFeatures)];
        random.Shuffle(featureOf);
        double[] tokenWeight = [.. Enumerable.Range(0, TextFeatures).Select(_ => Gaussian(random))];
        double[] cumulative = new double[TextFeatures];
        double total = 0;
        for (int r = 0; r < TextFeatures; r++)
            cumulative[r] = total += 1.0 / (r + 1);

        SparseRow[] Rows(int count)
        {
            var rows = new SparseRow[count];
            var counts = new SortedDictionary<int, float>();
            for (int i = 0; i < count; i++)
            {
                counts.Clear();
                int tokens = random.Next(20, 61);
                double logit = 0;
                for (int t = 0; t < tokens; t++)
                {
                    int rank = Array.BinarySearch(cumulative, random.NextDouble() * total);
                    rank = rank < 0 ? ~rank : rank;
                    rank = Math.Min(rank, TextFeatures - 1);
                    logit += tokenWeight[rank];
                    int feature = featureOf[rank];
                    counts[feature] = counts.GetValueOrDefault(feature) + 1;
                }

                double p = 1 / (1 + Math.Exp(-(1.5 * logit / Math.Sqrt(tokens) - 0.5)));
                rows[i] = new SparseRow
                {
                    Label = random.NextDouble() < p,
                    Features = new VBuffer<float>(TextFeatures, counts.Count, [.. counts.Values], [.. counts.Keys]),
                };
            }

            return rows;
        }

        SchemaDefinition schema = SchemaDefinition.Create(typeof(SparseRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, TextFeatures);
        return new(ml.Data.LoadFromEnumerable(Rows(TrainRows), schema), ml.Data.LoadFromEnumerable(Rows(TestRows), schema));
    }

    /// <summary>
    /// Dense multiclass data: z ~ N(0, I₁₀₀), the class is argmax_k (W z)_k + Gumbel noise with W ~ N(0, 0.3²), so
    /// the classes overlap; the features are x_j = offset_j + scale_j·z_j as in <see cref="DenseRegression"/>.
    /// </summary>
    public static MatrixRows DenseMulticlass(MLContext ml)
    {
        var random = new Random(303);
        double[] w = new double[Classes * DenseFeatures]; // class k's weights at k·F.., drawn in that order
        for (int i = 0; i < w.Length; i++)
            w[i] = 0.3 * Gaussian(random);
        double[] scale = [.. Enumerable.Range(0, DenseFeatures).Select(j => Math.Pow(10, -2 + 5.0 * j / (DenseFeatures - 1)))];
        double[] offset = [.. Enumerable.Range(0, DenseFeatures).Select(j => (random.NextDouble() * 2 - 1) * 5 * scale[j])];
        DenseRow[] Rows(int count)
        {
            var rows = new DenseRow[count];
            double[] z = new double[DenseFeatures];
            for (int i = 0; i < count; i++)
            {
                float[] x = new float[DenseFeatures];
                for (int j = 0; j < DenseFeatures; j++)
                {
                    z[j] = Gaussian(random);
                    x[j] = (float)(offset[j] + scale[j] * z[j]);
                }

                rows[i] = new DenseRow { Label = GumbelArgmax(random, w, z, Classes), Features = x };
            }

            return rows;
        }

        // Every class occurs in both sets.
        return Keyed(ml, Dense(ml, Rows(TrainRows)), Dense(ml, Rows(TestRows)));
    }

    /// <summary>The class whose score W_k·z plus a Gumbel draw is largest: a draw from the softmax of the scores.</summary>
    internal static int GumbelArgmax(Random random, double[] w, double[] z, int classes)
    {
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < classes; k++)
        {
            double score = -Math.Log(-Math.Log(1 - random.NextDouble()));
            for (int j = 0; j < z.Length; j++)
                score += w[(k * z.Length) + j] * z[j];
            if (score > bestScore)
                (best, bestScore) = (k, score);
        }

        return best;
    }

    /// <summary>The label as a key fitted on the training rows, as a user's pipeline would map it.</summary>
    internal static MatrixRows Keyed(MLContext ml, IDataView train, IDataView test)
    {
        ValueToKeyMappingTransformer toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        return new(toKey.Transform(train), toKey.Transform(test));
    }

    /// <summary>A view of dense rows of <paramref name="width"/> features.</summary>
    internal static IDataView Dense(MLContext ml, DenseRow[] rows, int width = DenseFeatures)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(DenseRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A generated dense row: a float label (a class index for multiclass sets) and its features.</summary>
    internal sealed class DenseRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class SparseRow
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }
}
