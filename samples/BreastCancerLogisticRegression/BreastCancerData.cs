using System.Globalization;

namespace BreastCancerLogisticRegression;

/// <summary>Rows of the breast-cancer file: features row-major, one label (0 or 1) per row.</summary>
internal sealed class Dataset
{
    public Dataset(float[] features, float[] labels, int featureCount)
    {
        if (features.Length != labels.Length * featureCount)
        {
            throw new ArgumentException("Feature count does not match the number of labels.", nameof(features));
        }

        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    public float[] Features { get; }

    public float[] Labels { get; }

    public int FeatureCount { get; }

    public int RowCount => Labels.Length;

    public ReadOnlySpan<float> Row(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public Dataset Select(IReadOnlyList<int> indices)
    {
        var features = new float[indices.Count * FeatureCount];
        var labels = new float[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Row(indices[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = Labels[indices[i]];
        }

        return new Dataset(features, labels, FeatureCount);
    }
}

/// <summary>What <see cref="BreastCancerData.Load"/> read: the complete rows and how many were skipped.</summary>
internal sealed record LoadResult(Dataset Data, int SkippedMissingRows);

/// <summary>
/// Reads breast-cancer.txt: tab-separated, label in column 0 (0 = benign, 1 = malignant), 9 numeric features in
/// columns 1-9, comment lines starting with <c>//</c>. Missing values are written <c>?</c>; rows holding one are skipped.
/// </summary>
internal static class BreastCancerData
{
    public const int FeatureCount = 9;

    public const string MissingValue = "?";

    public static LoadResult Load(string path)
    {
        var features = new List<float>();
        var labels = new List<float>();
        var skipped = 0;
        var lineNumber = 0;
        var row = new float[FeatureCount];

        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.StartsWith("//", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != FeatureCount + 1)
            {
                throw new FormatException($"{path}({lineNumber}): expected {FeatureCount + 1} tab-separated columns, found {fields.Length}.");
            }

            if (Array.Exists(fields, f => f.Trim() == MissingValue))
            {
                skipped++;
                continue;
            }

            var label = Parse(fields[0], path, lineNumber);
            if (label is not (0f or 1f))
            {
                throw new FormatException($"{path}({lineNumber}): label must be 0 or 1, found '{fields[0]}'.");
            }

            for (var j = 0; j < FeatureCount; j++)
            {
                row[j] = Parse(fields[j + 1], path, lineNumber);
            }

            labels.Add(label);
            features.AddRange(row);
        }

        return new LoadResult(new Dataset(features.ToArray(), labels.ToArray(), FeatureCount), skipped);
    }

    private static float Parse(string field, string path, int lineNumber) =>
        float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
            ? value
            : throw new FormatException($"{path}({lineNumber}): '{field}' is not a number.");
}
