using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>A small data set kept as plain arrays, and the row stores (dense and sparse) built from it.</summary>
internal sealed record TestRows(float[][] Features, float[] Labels, float[] Weights)
{
    public int Count => Labels.Length;

    public int FeatureCount => Features[0].Length;

    public RowStore Store(bool sparse)
    {
        var store = new RowStore(FeatureCount, sparse);
        for (int i = 0; i < Count; i++)
        {
            if (sparse)
            {
                int[] indices = Enumerable.Range(0, FeatureCount).Where(j => Features[i][j] != 0f).ToArray();
                store.AddSparseRow(indices, indices.Select(j => Features[i][j]).ToArray(), FeatureCount, Labels[i], Weights[i]);
            }
            else
            {
                store.AddDenseRow(Features[i], Labels[i], Weights[i]);
            }
        }

        return store;
    }

    public InMemoryTrainingRows Rows(bool sparse = false) => new(Store(sparse));
}

internal static class TrainingTestData
{
    /// <summary>Random features with about <paramref name="zeroShare"/> of them zero, labels from <paramref name="label"/>, random weights in [0.5, 2).</summary>
    public static TestRows Random(int seed, int rows, int features, Func<Random, float[], float> label, double zeroShare = 0.3, bool unitWeights = false)
    {
        var random = new Random(seed);
        var x = new float[rows][];
        var y = new float[rows];
        var w = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = new float[features];
            for (int j = 0; j < features; j++)
                x[i][j] = random.NextDouble() < zeroShare ? 0f : (float)(random.NextDouble() * 4 - 2);
            y[i] = label(random, x[i]);
            w[i] = unitWeights ? 1f : (float)(0.5 + random.NextDouble() * 1.5);
        }

        return new TestRows(x, y, w);
    }

    /// <summary>y = Σ cⱼxⱼ + 3 + small noise, features on very different scales and offsets.</summary>
    public static TestRows Linear(int seed, int rows, int features, double noise = 0.01)
    {
        var random = new Random(seed);
        float[] coefficients = Enumerable.Range(0, features).Select(j => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var x = new float[rows][];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = new float[features];
            double sum = 3;
            for (int j = 0; j < features; j++)
            {
                double scale = Math.Pow(10, j % 3 - 1); // 0.1, 1, 10
                x[i][j] = (float)(5 * scale + scale * Gaussian(random));
                sum += coefficients[j] * x[i][j] / scale;
            }

            y[i] = (float)(sum + noise * Gaussian(random));
        }

        return new TestRows(x, y, Enumerable.Repeat(1f, rows).ToArray());
    }

    /// <summary>Gaussian blobs around <paramref name="classes"/> centers; label = the blob's index.</summary>
    public static TestRows Blobs(int seed, int rows, int features, int classes, double spread)
    {
        var random = new Random(seed);
        float[][] centers = Enumerable.Range(0, classes)
            .Select(_ => Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray()).ToArray();
        var x = new float[rows][];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            int c = random.Next(classes);
            x[i] = centers[c].Select(v => (float)(v + spread * Gaussian(random))).ToArray();
            y[i] = c;
        }

        return new TestRows(x, y, Enumerable.Repeat(1f, rows).ToArray());
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Raw-space scores of a model: K per row.</summary>
    public static double[] Scores(LinearModelWeights model, float[] x)
    {
        int k = model.Biases.Length;
        var scores = new double[k];
        for (int c = 0; c < k; c++)
        {
            double s = model.Biases[c];
            for (int j = 0; j < x.Length; j++)
                s += (double)model.Weights[c * x.Length + j] * x[j];
            scores[c] = s;
        }

        return scores;
    }
}
