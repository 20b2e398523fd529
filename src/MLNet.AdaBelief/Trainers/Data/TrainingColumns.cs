using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Trainers.Data;

/// <summary>
/// The label, feature and weight columns of a training view, resolved and type-checked once. The estimators check
/// the schema through the built-in trainer of the same task first, so users see ML.NET's own messages; these checks
/// guard the layer's own contract and word their errors the same way.
/// </summary>
internal sealed class TrainingColumns
{
    private TrainingColumns(DataViewSchema.Column label, DataViewSchema.Column features, DataViewSchema.Column? weight, LabelKind labelKind, int featureCount, int classCount)
    {
        Label = label;
        Features = features;
        Weight = weight;
        LabelKind = labelKind;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    public DataViewSchema.Column Label { get; }

    public DataViewSchema.Column Features { get; }

    public DataViewSchema.Column? Weight { get; }

    public LabelKind LabelKind { get; }

    /// <summary>The length of the feature vector.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes of a key label (its key count); 0 for other kinds.</summary>
    public int ClassCount { get; }

    public IEnumerable<DataViewSchema.Column> All =>
        Weight is { } weight ? [Label, Features, weight] : [Label, Features];

    public static TrainingColumns Resolve(DataViewSchema schema, string labelName, string featureName, string? weightName, LabelKind labelKind)
    {
        DataViewSchema.Column features = Find(schema, "feature", featureName);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType, IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw Mismatch(nameof(schema), "feature", featureName, "known-size vector of Single", features.Type);

        DataViewSchema.Column label = Find(schema, "label", labelName);
        int classCount = 0;
        switch (labelKind)
        {
            case LabelKind.Real when label.Type != NumberDataViewType.Single:
                throw Mismatch(nameof(schema), "label", labelName, "Single", label.Type);
            case LabelKind.Boolean when label.Type != BooleanDataViewType.Instance:
                throw Mismatch(nameof(schema), "label", labelName, "Boolean", label.Type);
            case LabelKind.Key when label.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint):
                throw Mismatch(nameof(schema), "label", labelName, "Key<UInt32>", label.Type);
            case LabelKind.Key:
                classCount = checked((int)((KeyDataViewType)label.Type).Count);
                break;
        }

        DataViewSchema.Column? weight = null;
        if (!string.IsNullOrEmpty(weightName))
        {
            weight = Find(schema, "weight", weightName);
            if (weight.Value.Type != NumberDataViewType.Single)
                throw Mismatch(nameof(schema), "weight", weightName, "Single", weight.Value.Type);
        }

        return new TrainingColumns(label, features, weight, labelKind, vector.Size, classCount);
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string role, string name) =>
        (name is null ? null : schema.GetColumnOrNull(name))
        ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find {role} column '{name}'");

    private static ArgumentOutOfRangeException Mismatch(string paramName, string role, string name, string expected, DataViewType actual) =>
        new(paramName, $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}");
}
