using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Benchmarks.QualityMatrix.SyntheticMatrixData;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>
/// Large dense sets that no default was tuned on (<c>--quality-matrix --held-out</c>), for checking a rule about data
/// the automatic plan reads once (more than 192,000 rows at the defaults) against generators other than the matrix's:
/// correlated features, skewed and heavy-tailed features, many classes with sparse true weights, rare positives. Each
/// is generated from its own seed, with a test set of 60,000 rows from the same distribution; every one is well
/// specified for a linear model, so the built-in trainers' optimum is the best a linear model can do.
/// </summary>
internal static class HeldOutDenseData
{
    /// <summary>The held-out sets, in the order of the table.</summary>
    public static IReadOnlyList<MatrixSet> All { get; } =
    [
        new("heldout-correlated-binary", MatrixTask.Binary, "AUC", CorrelatedBinary, ml => ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean), true),
        new("heldout-skewed-multiclass", MatrixTask.Multiclass, "MacroAccuracy", SkewedMulticlass, MatrixDataSets.Identity, true),
        new("heldout-heavy-regression", MatrixTask.Regression, "RSquared", HeavyTailedRegression, MatrixDataSets.Identity, true),
        new("heldout-many-classes", MatrixTask.Multiclass, "MacroAccuracy", ManyClasses, MatrixDataSets.Identity, true),
        new("heldout-rare-positives", MatrixTask.Binary, "AUPRC", RarePositives, ml => ml.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean), true),
    ];

    /// <summary>
    /// 400,000 rows × 60 features, an AR(1) chain of correlation 0.8 (z_j = 0.8 z_{j−1} + 0.6 g_j), raw features
    /// x_j = offset_j + scale_j z_j of scales 10⁻¹ to 10²; the label is 1 with probability σ(w·z), w ~ N(0, 0.3²).
    /// </summary>
    private static MatrixRows CorrelatedBinary(MLContext ml)
    {
        const int Features = 60;
        var random = new Random(404);
        double[] w = Draw(Features, () => 0.3 * Gaussian(random));
        (double[] scale, double[] offset) = RawScales(random, Features, -1, 3);
        DenseRow[] Rows(int count) => Generate(count, Features, random, (z, x) =>
        {
            double previous = Gaussian(random), logit = 0;
            for (int j = 0; j < Features; j++)
            {
                z[j] = j == 0 ? previous : previous = (0.8 * previous) + (0.6 * Gaussian(random));
                x[j] = (float)(offset[j] + scale[j] * z[j]);
                logit += w[j] * z[j];
            }

            return random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        });

        return new(Dense(ml, Rows(400_000), Features), Dense(ml, Rows(TestRows), Features));
    }

    /// <summary>
    /// 250,000 rows × 40 skewed features (exponential and log-normal(0, 0.75), alternating; long right tails that a
    /// scaling by the largest value compresses), 6 classes: argmax_k W_k·(u − E u) + Gumbel noise, W ~ N(0, 0.4²).
    /// </summary>
    private static MatrixRows SkewedMulticlass(MLContext ml)
    {
        const int Features = 40, Classes = 6;
        var random = new Random(505);
        double[] w = Draw(Classes * Features, () => 0.4 * Gaussian(random));
        (double[] scale, _) = RawScales(random, Features, -1, 3);
        double logNormalMean = Math.Exp(0.75 * 0.75 / 2);
        DenseRow[] Rows(int count) => Generate(count, Features, random, (u, x) =>
        {
            for (int j = 0; j < Features; j++)
            {
                double draw = j % 2 == 0 ? -Math.Log(1 - random.NextDouble()) : Math.Exp(0.75 * Gaussian(random));
                x[j] = (float)(scale[j] * draw);
                u[j] = draw - (j % 2 == 0 ? 1 : logNormalMean);
            }

            return GumbelArgmax(random, w, u, Classes);
        });

        return Keyed(ml, Dense(ml, Rows(250_000), Features), Dense(ml, Rows(TestRows), Features));
    }

    /// <summary>
    /// 600,000 rows × 30 heavy-tailed features (Student's t with 3 degrees of freedom, offsets of up to 3 scales, scales
    /// 10⁻² to 10³); y = 50 + 10·w·t/‖w‖ + 10·noise, w ~ U(−1, 1). The best R² is about 0.75.
    /// </summary>
    private static MatrixRows HeavyTailedRegression(MLContext ml)
    {
        const int Features = 30;
        var random = new Random(606);
        double[] w = Draw(Features, () => random.NextDouble() * 2 - 1);
        double norm = Math.Sqrt(w.Sum(v => v * v));
        (double[] scale, double[] offset) = RawScales(random, Features, -2, 5);
        DenseRow[] Rows(int count) => Generate(count, Features, random, (t, x) =>
        {
            double signal = 0;
            for (int j = 0; j < Features; j++)
            {
                double g = Gaussian(random), chiSquare = 0;
                for (int d = 0; d < 3; d++)
                {
                    double h = Gaussian(random);
                    chiSquare += h * h;
                }

                t[j] = g / Math.Sqrt(chiSquare / 3);
                x[j] = (float)(offset[j] + scale[j] * t[j]);
                signal += w[j] * t[j];
            }

            return (float)(50 + (10 * signal / norm) + (10 * Gaussian(random)));
        });

        return new(Dense(ml, Rows(600_000), Features), Dense(ml, Rows(TestRows), Features));
    }

    /// <summary>
    /// 300,000 rows × 150 uniform features (unit variance, scales 10⁻¹ to 10²), 20 classes: argmax_k W_k·z + Gumbel
    /// noise, with W sparse (each entry non-zero with probability 0.3, then N(0, 0.5²)).
    /// </summary>
    private static MatrixRows ManyClasses(MLContext ml)
    {
        const int Features = 150, Classes = 20;
        var random = new Random(707);
        double[] w = Draw(Classes * Features, () => random.NextDouble() < 0.3 ? 0.5 * Gaussian(random) : 0);
        (double[] scale, double[] offset) = RawScales(random, Features, -1, 3);
        DenseRow[] Rows(int count) => Generate(count, Features, random, (z, x) =>
        {
            for (int j = 0; j < Features; j++)
            {
                z[j] = (random.NextDouble() * 2 - 1) * Math.Sqrt(3);
                x[j] = (float)(offset[j] + scale[j] * z[j]);
            }

            return GumbelArgmax(random, w, z, Classes);
        });

        return Keyed(ml, Dense(ml, Rows(300_000), Features), Dense(ml, Rows(TestRows), Features));
    }

    /// <summary>
    /// 300,000 rows × 30 features, about 0.4% positive, as a card-fraud table is: 28 Gaussian features of falling
    /// variance (a PCA's components), an amount (log-normal(3, 1.5), in dollars) and a time in seconds (uniform over
    /// two days); the label is 1 with probability σ(−6.5 + w·z + 0.4·(log amount − 3)), w ~ N(0, 0.6²) on the
    /// components.
    /// </summary>
    private static MatrixRows RarePositives(MLContext ml)
    {
        const int Features = 30, Components = 28;
        var random = new Random(808);
        double[] w = Draw(Components, () => 0.6 * Gaussian(random));
        double[] spread = [.. Enumerable.Range(0, Components).Select(j => 2.0 / Math.Sqrt(1 + j))];
        DenseRow[] Rows(int count) => Generate(count, Features, random, (z, x) =>
        {
            double logit = -6.5;
            for (int j = 0; j < Components; j++)
            {
                z[j] = Gaussian(random);
                x[j] = (float)(spread[j] * z[j]);
                logit += w[j] * z[j];
            }

            double logAmount = 3 + (1.5 * Gaussian(random));
            x[Components] = (float)Math.Exp(logAmount);
            x[Components + 1] = (float)(random.NextDouble() * 172_800);
            logit += 0.4 * (logAmount - 3);
            return random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        });

        return new(Dense(ml, Rows(300_000), Features), Dense(ml, Rows(TestRows), Features));
    }

    private static double[] Draw(int count, Func<double> draw) => [.. Enumerable.Range(0, count).Select(_ => draw())];

    /// <summary>Scales 10^low to 10^(low + decades) across the features, and offsets of up to 3 scales either way.</summary>
    private static (double[] Scale, double[] Offset) RawScales(Random random, int features, double low, double decades)
    {
        double[] scale = [.. Enumerable.Range(0, features).Select(j => Math.Pow(10, low + (decades * j / (features - 1))))];
        double[] offset = [.. scale.Select(s => (random.NextDouble() * 2 - 1) * 3 * s)];
        return (scale, offset);
    }

    /// <summary>Rows from <paramref name="row"/>, which fills the latent values and the raw features and returns the label.</summary>
    private static DenseRow[] Generate(int count, int features, Random random, Func<double[], float[], float> row)
    {
        var rows = new DenseRow[count];
        double[] latent = new double[features];
        for (int i = 0; i < count; i++)
        {
            float[] x = new float[features];
            rows[i] = new DenseRow { Label = row(latent, x), Features = x };
        }

        return rows;
    }
}
