using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Trainers;

/// <summary>Small generated data sets with known structure, for the trainer tests.</summary>
internal static class SyntheticData
{
    public const int FeatureCount = 5;

    /// <summary>Feature scales spanning orders of magnitude, as raw real-world columns do.</summary>
    private static readonly float[] Scales = [1000f, 1f, 0.01f, 50f, 3f];

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
    }

    public sealed class MulticlassRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public uint Class { get; set; }
    }

    /// <summary>The half-width of each feature's uniform range (features are uniform on [-scale, scale]).</summary>
    public static IReadOnlyList<float> FeatureScales => Scales;

    public static readonly float[] TrueWeights = [0.002f, -1.5f, 120f, 0.04f, 0.7f];
    public const float TrueBias = 3f;

    public static RegressionRow[] Regression(int rows, int seed, float noise = 0.05f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float[] x = Features(random);
            float y = TrueBias + x.Zip(TrueWeights, (a, b) => a * b).Sum() + noise * Gaussian(random);
            return new RegressionRow { Features = x, Label = y };
        }).ToArray();
    }

    public static BinaryRow[] Binary(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float[] x = Features(random);
            float score = -0.5f + x.Zip(TrueWeights, (a, b) => a * b).Sum() + 0.3f * Gaussian(random);
            return new BinaryRow { Features = x, Label = score > 0 };
        }).ToArray();
    }

    public static MulticlassRow[] Multiclass(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float[] x = Features(random);
            float s = x.Zip(TrueWeights, (a, b) => a * b).Sum();
            uint label = s < -0.5f ? 0u : s < 1.5f ? 1u : 2u;
            return new MulticlassRow { Features = x, Class = label };
        }).ToArray();
    }

    public static IDataView Load<T>(MLContext ml, IEnumerable<T> rows)
        where T : class => ml.Data.LoadFromEnumerable(rows);

    private static float[] Features(Random random) =>
        Scales.Select(s => (float)(random.NextDouble() * 2 - 1) * s).ToArray();

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
