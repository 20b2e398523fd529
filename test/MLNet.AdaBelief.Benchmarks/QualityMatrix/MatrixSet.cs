using Microsoft.ML;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>The task of a data set, which fixes the trainers that apply and how a model is evaluated.</summary>
internal enum MatrixTask
{
    Regression,
    Binary,
    Multiclass,
}

/// <summary>
/// A data set's rows: a training view, and a test view for a set with a given split (null: 5-fold cross-validation
/// of the training view). Columns are raw, as read from the file or generated; <see cref="MatrixSet.Featurize"/> turns
/// them into <c>Label</c> and <c>Features</c>.
/// </summary>
internal sealed record MatrixRows(IDataView Train, IDataView? Test);

/// <summary>One data set of the quality matrix.</summary>
/// <param name="Name">The name used on the command line and in the results file.</param>
/// <param name="Task">Regression, binary or multiclass.</param>
/// <param name="Metric">The metric reported: RSquared, AUC, AUPRC, MicroAccuracy or MacroAccuracy; higher is better.</param>
/// <param name="Load">Reads (or generates) the rows.</param>
/// <param name="Featurize">
/// The featurization the tutorial uses, fitted inside each fold: it yields <c>Label</c> (float, bool or key) and
/// <c>Features</c>, raw (one-hot, numeric columns as they are) or as <c>FeaturizeText</c> leaves them.
/// </param>
/// <param name="NeedsNormalizer">
/// Whether a user would put a normalizer in front of a built-in trainer: true for numeric features, false for text
/// (<c>FeaturizeText</c> already normalizes each row).
/// </param>
internal sealed record MatrixSet(
    string Name,
    MatrixTask Task,
    string Metric,
    Func<MLContext, MatrixRows> Load,
    Func<MLContext, IEstimator<ITransformer>> Featurize,
    bool NeedsNormalizer)
{
    /// <summary>How the metric is measured, for the table.</summary>
    public string Protocol(MatrixRows rows) => rows.Test is null ? "5-fold CV" : "test split";
}
