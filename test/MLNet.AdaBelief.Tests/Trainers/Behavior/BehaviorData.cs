using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>Small row types, data generators and model readers for the trainer behaviour tests.</summary>
internal static class BehaviorData
{
    public const int FeatureCount = 3;

    /// <summary>Features of the wide data sets used for the sparse tests.</summary>
    public const int WideFeatureCount = 40;

    public static readonly float[] TrueWeights = [2f, -1f, 0.5f];
    public const float TrueBias = 1f;

    public sealed class RegressionRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Weight { get; set; } = 1f;
    }

    public sealed class BinaryRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; } = 1f;
    }

    /// <summary>
    /// A multiclass row whose label is a key of 3 classes. LoadFromEnumerable takes the property as the 0-based class
    /// index (0..2) and stores key index + 1; it turns values of 3 and more into the missing key.
    /// </summary>
    public sealed class KeyRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        [KeyType(3)]
        public uint Label { get; set; }

        public float Weight { get; set; } = 1f;
    }

    /// <summary>A multiclass row with a raw class value, for MapValueToKey: a value unseen when fitting it maps to the missing key.</summary>
    public sealed class ClassRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public uint Class { get; set; }
    }

    /// <summary><paramref name="rows"/> with a key Label column mapped from Class by a mapping fitted on <paramref name="vocabulary"/>.</summary>
    public static IDataView MapClassesToKeys(MLContext ml, IEnumerable<ClassRow> rows, IEnumerable<ClassRow> vocabulary) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Fit(ml.Data.LoadFromEnumerable(vocabulary))
            .Transform(ml.Data.LoadFromEnumerable(rows));

    /// <summary>A wide row held as a VBuffer, which ML.NET passes on as it is (sparse when built sparse).</summary>
    public sealed class WideRow
    {
        [VectorType(WideFeatureCount)]
        public VBuffer<float> Features { get; set; }

        public float Label { get; set; }
    }

    /// <summary>Regression rows y = w·x + b + noise, features uniform in [−1, 1].</summary>
    public static RegressionRow[] Regression(int rows, int seed, float noise = 0.05f)
    {
        var random = new Random(seed);
        var result = new RegressionRow[rows];
        for (int i = 0; i < rows; i++)
        {
            float[] x = Uniform(random, FeatureCount);
            result[i] = new RegressionRow { Features = x, Label = Affine(x) + noise * Gaussian(random) };
        }

        return result;
    }

    public static BinaryRow[] Binary(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new BinaryRow[rows];
        for (int i = 0; i < rows; i++)
        {
            float[] x = Uniform(random, FeatureCount);
            result[i] = new BinaryRow { Features = x, Label = Affine(x) - TrueBias + 0.3f * Gaussian(random) > 0 };
        }

        return result;
    }

    public static KeyRow[] Multiclass(int rows, int seed)
    {
        var random = new Random(seed);
        var result = new KeyRow[rows];
        for (int i = 0; i < rows; i++)
        {
            float[] x = Uniform(random, FeatureCount);
            float s = Affine(x) - TrueBias + 0.2f * Gaussian(random);
            result[i] = new KeyRow { Features = x, Label = s < -0.7f ? 0u : s < 0.7f ? 1u : 2u };
        }

        return result;
    }

    /// <summary>
    /// Wide regression rows with <paramref name="nonZerosPerRow"/> nonzero features each (at distinct random
    /// positions), as sparse VBuffers when <paramref name="sparse"/>, else as dense VBuffers holding the same values.
    /// </summary>
    public static WideRow[] Wide(int rows, int seed, int nonZerosPerRow, bool sparse)
    {
        var random = new Random(seed);
        float[] weights = WideWeights();
        var result = new WideRow[rows];
        for (int i = 0; i < rows; i++)
        {
            int[] indices = Enumerable.Range(0, WideFeatureCount).OrderBy(_ => random.Next()).Take(nonZerosPerRow).Order().ToArray();
            float[] values = indices.Select(_ => (float)(random.NextDouble() * 2 - 1) * 3f + (random.Next(2) == 0 ? -0.5f : 0.5f)).ToArray();
            float label = 0.5f + 0.02f * Gaussian(random);
            for (int k = 0; k < indices.Length; k++)
                label += weights[indices[k]] * values[k];

            VBuffer<float> features;
            if (sparse)
            {
                features = new VBuffer<float>(WideFeatureCount, indices.Length, values, indices);
            }
            else
            {
                var dense = new float[WideFeatureCount];
                for (int k = 0; k < indices.Length; k++)
                    dense[indices[k]] = values[k];
                features = new VBuffer<float>(WideFeatureCount, dense);
            }

            result[i] = new WideRow { Features = features, Label = label };
        }

        return result;
    }

    /// <summary>The true weights of <see cref="Wide"/>: j-dependent, of both signs.</summary>
    public static float[] WideWeights() =>
        Enumerable.Range(0, WideFeatureCount).Select(j => (j % 2 == 0 ? 1f : -1f) * (0.25f + 0.05f * j)).ToArray();

    public static float Affine(ReadOnlySpan<float> x)
    {
        float s = TrueBias;
        for (int j = 0; j < x.Length; j++)
            s += TrueWeights[j] * x[j];
        return s;
    }

    public static float[] Uniform(Random random, int count)
    {
        var x = new float[count];
        for (int j = 0; j < count; j++)
            x[j] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }

    public static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    public static float[] Weights(RegressionPredictionTransformer<LinearRegressionModelParameters> model) => model.Model.Weights.ToArray();

    public static float[] Weights(BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> model) =>
        model.Model.SubModel.Weights.ToArray();

    /// <summary>All weights of a maximum-entropy model, class after class, then the biases.</summary>
    public static float[] Parameters(MaximumEntropyModelParameters model)
    {
        VBuffer<float>[] weights = [];
        model.GetWeights(ref weights, out int classes);
        var all = new List<float>();
        for (int k = 0; k < classes; k++)
            all.AddRange(weights[k].DenseValues());
        all.AddRange(model.GetBiases());
        return [.. all];
    }

    /// <summary>½ mean (ŷ − y)² of a linear model over rows, in double: the trainer's squared loss.</summary>
    public static double HalfMeanSquaredError(IReadOnlyList<float> weights, float bias, IEnumerable<RegressionRow> rows)
    {
        double sum = 0;
        int count = 0;
        foreach (RegressionRow row in rows)
        {
            double score = bias;
            for (int j = 0; j < weights.Count; j++)
                score += (double)weights[j] * row.Features[j];
            double residual = score - row.Label;
            sum += 0.5 * residual * residual;
            count++;
        }

        return sum / count;
    }

    public static double Distance(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++)
            sum += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        return Math.Sqrt(sum);
    }
}

/// <summary>Records what an <see cref="MLContext"/> logs.</summary>
internal sealed class LogRecorder
{
    private readonly List<LoggingEventArgs> _messages = [];

    public LogRecorder(MLContext context) => context.Log += (_, e) =>
    {
        lock (_messages)
            _messages.Add(e);
    };

    public IReadOnlyList<LoggingEventArgs> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    /// <summary>The raw text of messages of one kind, in order.</summary>
    public IReadOnlyList<string> Of(ChannelMessageKind kind) =>
        Messages.Where(m => m.Kind == kind).Select(m => m.RawMessage).ToList();
}
