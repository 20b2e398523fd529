using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Trainers.Interop;

/// <summary>Tiny in-memory data sets and checks shared by the interop tests.</summary>
internal static class InteropTestData
{
    internal const int FeatureCount = 3;

    private static readonly float[][] Points =
    [
        [1f, 2f, 3f],
        [-0.5f, 0.25f, 4f],
        [3f, -1f, 0.5f],
        [0f, 0f, 0f],
        [2.5f, 1.5f, -2f],
        [-3f, 0.75f, 1.25f],
        [0.125f, -2f, -1f],
        [1.75f, 3.5f, -0.25f],
        [-1f, -1f, 2f],
        [4f, 0.5f, -3f],
    ];

    internal static float[] Features(int row) => (float[])Points[row].Clone();

    internal static int RowCount => Points.Length;

    /// <summary>w·x + b in double, rounded once to float.</summary>
    internal static float Affine(float[] w, float b, float[] x)
    {
        double sum = b;
        for (int j = 0; j < x.Length; j++)
        {
            sum += (double)w[j] * x[j];
        }

        return (float)sum;
    }

    internal static IEnumerable<RegressionRow> RegressionRows(float[] w, float b) =>
        Points.Select(x => new RegressionRow { Features = (float[])x.Clone(), Label = Affine(w, b, x) });

    internal static IEnumerable<BinaryRow> BinaryRows(float[] w, float b) =>
        Points.Select(x => new BinaryRow { Features = (float[])x.Clone(), Label = Affine(w, b, x) > 0 });

    internal static IEnumerable<MulticlassRow> MulticlassRows(float[][] w, float[] b, string[] classNames) =>
        Points.Select(x => new MulticlassRow { Features = (float[])x.Clone(), Label = classNames[ArgMax(w, b, x)] });

    internal static int ArgMax(float[][] w, float[] b, float[] x)
    {
        int best = 0;
        for (int k = 1; k < w.Length; k++)
        {
            if (Affine(w[k], b[k], x) > Affine(w[best], b[best], x))
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>Saves with one context and loads with a fresh one, as another program would.</summary>
    internal static ITransformer SaveAndLoad(ITransformer model, DataViewSchema inputSchema)
    {
        using var stream = new MemoryStream();
        new MLContext(seed: 1).Model.Save(model, inputSchema, stream);
        stream.Position = 0;
        return new MLContext(seed: 2).Model.Load(stream, out _);
    }

    internal static int[] Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Same output columns, in the same order, with the same names, types and annotation kinds.</summary>
    internal static void AssertSameOutputSchema(DataViewSchema expected, DataViewSchema actual)
    {
        Assert.AreEqual(Describe(expected), Describe(actual));
    }

    private static string Describe(DataViewSchema schema) => string.Join(
        Environment.NewLine,
        schema.Select(c => $"{c.Name}: {c.Type} [{string.Join(", ", c.Annotations.Schema.Select(a => $"{a.Name}: {a.Type}"))}]"));

    /// <summary>
    /// The settings a prediction transformer keeps in its own fields (threshold, threshold column, label, score and
    /// predicted-label column names) are the same as the built-in trainer's.
    /// </summary>
    internal static void AssertSameTransformerSettings(object expected, object actual)
    {
        Assert.AreEqual(expected.GetType(), actual.GetType());
        FieldInfo[] fields = expected.GetType()
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(f => f.FieldType == typeof(string) || f.FieldType == typeof(float))
            .ToArray();
        Assert.IsNotEmpty(fields);
        foreach (FieldInfo field in fields)
        {
            Assert.AreEqual(field.GetValue(expected), field.GetValue(actual), $"field {field.Name}");
        }
    }

    internal sealed class RegressionRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    internal sealed class BinaryRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    internal sealed class MulticlassRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }
}
