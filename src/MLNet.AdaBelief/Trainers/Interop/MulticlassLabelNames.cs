using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Trainers.Interop;

/// <summary>
/// The class names a multiclass model carries, read from the label column the way L-BFGS maximum entropy reads them.
/// </summary>
/// <remarks>
/// The names come from the label's key-value annotation when it is a text vector with one entry per class, dense,
/// with no empty and no repeated name; otherwise there are none (null) and ML.NET's model summary falls back to
/// "Class_n". They only name the classes in the saved model and its summary: scoring and the predicted label's key
/// values do not depend on them.
/// </remarks>
internal static class MulticlassLabelNames
{
    // The name of ML.NET's key-value annotation (AnnotationUtils.Kinds.KeyValues, internal).
    private const string KeyValuesAnnotation = "KeyValues";

    /// <summary>The class names of <paramref name="labelColumn"/>, or null when it does not name every class uniquely.</summary>
    internal static string[]? FromLabelColumn(DataViewSchema.Column labelColumn, int numClasses)
    {
        DataViewType? keyValuesType = labelColumn.Annotations.Schema
            .GetColumnOrNull(KeyValuesAnnotation)?.Type;
        if (keyValuesType is not VectorDataViewType { ItemType: TextDataViewType } vectorType || vectorType.Size != numClasses)
        {
            return null;
        }

        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        labelColumn.GetKeyValues(ref keyValues);
        if (!keyValues.IsDense || keyValues.Length != numClasses)
        {
            return null;
        }

        ReadOnlySpan<ReadOnlyMemory<char>> values = keyValues.GetValues();
        var names = new string[numClasses];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < numClasses; i++)
        {
            if (values[i].IsEmpty)
            {
                return null;
            }

            names[i] = values[i].ToString();
            if (!seen.Add(names[i]))
            {
                return null;
            }
        }

        return names;
    }
}
