namespace MLNet.AdaBelief;

/// <summary>
/// The defaults of the AdaBelief trainers, one named constant each, shared by the catalog methods and the
/// <c>Options</c> classes. How they were chosen is in the repository's docs/defaults.md.
/// </summary>
public static class AdaBeliefTrainerDefaults
{
    /// <summary>The label column's default name, as in ML.NET.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>The feature column's default name, as in ML.NET.</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>The peak learning rate, in the standardized feature space; a cosine decay takes it to 0 over training.</summary>
    public const double LearningRate = 0.05;

    /// <summary>Rows per mini-batch.</summary>
    public const int BatchSize = 64;

    /// <summary>Optimizer steps the automatic epoch count aims for, so that small data sets still get enough updates.</summary>
    public const int TargetSteps = 3000;

    /// <summary>The fewest epochs the automatic count chooses.</summary>
    public const int MinimumEpochs = 2;

    /// <summary>The most epochs the automatic count chooses.</summary>
    public const int MaximumEpochs = 200;

    /// <summary>Data up to this many bytes in memory is read into a contiguous buffer; larger data is streamed.</summary>
    public const long MemoryBudgetBytes = 2L << 30;
}
