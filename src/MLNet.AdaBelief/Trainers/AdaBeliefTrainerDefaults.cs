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

    /// <summary>
    /// The peak learning rate, in the standardized feature space; a cosine decay takes it to 0 over training. The middle
    /// of the range (0.03-0.1) where every measured data set reaches its converged metric: housing, breast cancer and
    /// synthetic data are flat from 0.01 to 0.2; adult loses AUC above 0.05 at this batch size; iris needs fewer steps
    /// at higher rates.
    /// </summary>
    public const double LearningRate = 0.05;

    /// <summary>
    /// Rows per mini-batch. 64: on adult 128-256 are 0.0003 AUC better and 32 is 0.0008 worse; on iris (120 training
    /// rows) 128 and more is one full batch per epoch and ends at 0.970 macro accuracy against 0.976 with 64; on 10⁶ rows
    /// 1024 saves only about a fifth of an epoch's time, against a fixed cost of loading the data.
    /// </summary>
    public const int BatchSize = 64;

    /// <summary>
    /// Optimizer steps the automatic epoch count aims for. Adult reaches AUC 0.9049 after about 1,000 steps, 0.9058
    /// after 3,000 and 0.9061 after 10,000; iris needs about 2,000 to converge; synthetic 10⁵-row data is converged
    /// within one epoch (1,250 steps).
    /// </summary>
    public const int TargetSteps = 3000;

    /// <summary>
    /// The fewest epochs the automatic count chooses: 1, so that data with at least
    /// <see cref="TargetSteps"/> × <see cref="BatchSize"/> rows (192,000 by default) is read once; one pass of 10⁶ rows is
    /// already 15,625 steps, and a second pass changes no measured metric.
    /// </summary>
    public const int MinimumEpochs = 1;

    /// <summary>
    /// The most epochs the automatic count chooses: high enough that only sets of a mini-batch or two fall short of
    /// <see cref="TargetSteps"/> (an epoch of such a set costs microseconds). At 200, iris (2 steps per epoch) stopped
    /// after 400 steps at macro accuracy 0.953, below the built-in trainers' 0.971.
    /// </summary>
    public const int MaximumEpochs = 2000;

    /// <summary>Data up to this many bytes in memory is read into a contiguous buffer; larger data is streamed.</summary>
    public const long MemoryBudgetBytes = 2L << 30;
}
