namespace BreastCancerLogisticRegression;

/// <summary>Deterministic train/test split and feature standardization.</summary>
internal static class Preprocessing
{
    /// <summary>Shuffles the row indices with a seeded generator and puts the first <paramref name="trainFraction"/> in the training split.</summary>
    public static (Dataset Train, Dataset Test) Split(Dataset data, double trainFraction, int seed)
    {
        var indices = Enumerable.Range(0, data.RowCount).ToArray();
        new Random(seed).Shuffle(indices);
        var trainCount = (int)Math.Round(data.RowCount * trainFraction);
        return (data.Select(indices[..trainCount]), data.Select(indices[trainCount..]));
    }
}

/// <summary>Per-feature mean and standard deviation, fitted on one data set and applied to any.</summary>
internal sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Standardizer(float[] mean, float[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>Fits mean and (population) standard deviation per feature; a constant feature gets scale 1.</summary>
    public static Standardizer Fit(Dataset data)
    {
        var n = data.RowCount;
        var d = data.FeatureCount;
        var sum = new double[d];
        var sumSquares = new double[d];
        for (var i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (var j = 0; j < d; j++)
            {
                sum[j] += row[j];
                sumSquares[j] += (double)row[j] * row[j];
            }
        }

        var mean = new float[d];
        var scale = new float[d];
        for (var j = 0; j < d; j++)
        {
            var m = sum[j] / n;
            var std = Math.Sqrt(Math.Max(sumSquares[j] / n - m * m, 0));
            mean[j] = (float)m;
            scale[j] = std > 1e-12 ? (float)std : 1f;
        }

        return new Standardizer(mean, scale);
    }

    /// <summary>Standardizes the features of <paramref name="data"/> in place.</summary>
    public void Apply(Dataset data)
    {
        var d = data.FeatureCount;
        for (var i = 0; i < data.RowCount; i++)
        {
            var row = data.Features.AsSpan(i * d, d);
            for (var j = 0; j < d; j++)
            {
                row[j] = (row[j] - _mean[j]) / _scale[j];
            }
        }
    }
}
