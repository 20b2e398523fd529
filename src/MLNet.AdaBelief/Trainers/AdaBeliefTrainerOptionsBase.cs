using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;

namespace MLNet.AdaBelief;

/// <summary>
/// Settings shared by the AdaBelief trainers: columns, the optimizer, the epoch loop and the data path. Every
/// setting is a property, and the ones worth sweeping carry search-space attributes, so AutoML can tune them.
/// </summary>
/// <remarks>
/// <para>
/// The search space (<c>SearchSpace&lt;Options&gt;</c> in Microsoft.ML.AutoML) holds only settings under which every
/// point trains a sensible model on raw features: the peak learning rate, the schedule's shape
/// (<see cref="LearningRateShape"/>), β₁, β₂, weight decay and its kind, the variants, the batch size and the
/// automatic epoch count's target (<see cref="TargetSteps"/>). Its default point is the default options.
/// <see cref="StandardizeFeatures"/>, <see cref="NumberOfEpochs"/>, objects (<see cref="LearningRateSchedule"/>,
/// <see cref="ScheduleShape"/>, <see cref="ProgressCallback"/>) and the data settings are left out; objects are
/// <c>[JsonIgnore]</c>, so a sampled <c>Options</c> never carries them.
/// </para>
/// <para>
/// A trainer copies its options when it is built: changing them afterwards does not change the trainer.
/// </para>
/// </remarks>
public abstract partial class AdaBeliefTrainerOptionsBase
{
    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = AdaBeliefTrainerDefaults.LabelColumnName;

    /// <summary>The feature column: a known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = AdaBeliefTrainerDefaults.FeatureColumnName;

    /// <summary>The example weight column (Single), or null for equal weights.</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>
    /// The peak learning rate α, finite and positive, in the scaled feature space (and, for regression, the
    /// standardized label's). The rate follows <see cref="LearningRateShape"/> over the whole run (a linear decay to 0
    /// by default), unless <see cref="ScheduleShape"/> or <see cref="LearningRateSchedule"/> is set. When the trainer
    /// chooses the epochs (<see cref="NumberOfEpochs"/> null) and chooses more than
    /// <see cref="AdaBeliefTrainerDefaults.PeakRateFirstEpochs"/> (small data, read many times), a decaying shape peaks
    /// higher, up to 6α from <see cref="AdaBeliefTrainerDefaults.PeakRateFullEpochs"/> epochs on; set
    /// <see cref="NumberOfEpochs"/> or <see cref="ScheduleShape"/> for a peak of exactly α. Default 0.05.
    /// </summary>
    [Range(0.01, 0.3, AdaBeliefTrainerDefaults.LearningRate, true)]
    public double LearningRate { get; set; } = AdaBeliefTrainerDefaults.LearningRate;

    /// <summary>
    /// How the rate moves from <see cref="LearningRate"/> over the run; the trainer sizes the schedule to the run's
    /// steps once it knows them. Default <see cref="MLNet.AdaBelief.LearningRateShape.Linear"/>, a straight line from
    /// the peak to 0 (see <see cref="AdaBeliefTrainerDefaults.LearningRateShape"/>).
    /// </summary>
    [Choice(new object[] { "Cosine", "WarmupCosine", "OneCycle", "Linear", "Constant" }, "Linear")]
    public LearningRateShape LearningRateShape { get; set; } = AdaBeliefTrainerDefaults.LearningRateShape;

    /// <summary>
    /// A schedule shape of one's own, sized by the trainer to the run (steps, or epochs if <see cref="ScheduleUnit"/>
    /// is <see cref="ScheduleUnit.Epoch"/>), automatic epoch count included; it replaces <see cref="LearningRate"/>
    /// and <see cref="LearningRateShape"/>. Example: <c>ScheduleShape = ScheduleShape.OneCycle(0.1)</c>.
    /// </summary>
    [JsonIgnore]
    public ScheduleShape? ScheduleShape { get; set; }

    /// <summary>
    /// A schedule sized by hand, counting <see cref="ScheduleUnit"/>; it replaces <see cref="LearningRate"/> and
    /// <see cref="LearningRateShape"/>. A schedule with a horizon (<c>Horizon</c>)
    /// shorter than the run is rejected before training, with the run's length in the message; prefer
    /// <see cref="ScheduleShape"/>, which the trainer sizes itself.
    /// </summary>
    [JsonIgnore]
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>What <see cref="LearningRateSchedule"/> and <see cref="ScheduleShape"/> count: optimizer steps (default) or epochs.</summary>
    public ScheduleUnit ScheduleUnit { get; set; } = ScheduleUnit.Step;

    /// <summary>β₁, in [0, 1). Default 0.9.</summary>
    [Range(0.8, 0.95, AdaBeliefDefaults.Beta1, false)]
    public double Beta1 { get; set; } = AdaBeliefDefaults.Beta1;

    /// <summary>β₂, in [0, 1). Default 0.999.</summary>
    [Range(0.99, 0.9999, AdaBeliefDefaults.Beta2, true)]
    public double Beta2 { get; set; } = AdaBeliefDefaults.Beta2;

    /// <summary>
    /// ε, finite and not negative, added to the second moment and to its root. Default 1e-8 (the optimizer's own
    /// default is 1e-16): coordinates with gradients far below √(ε/(1 − β₂)) step in proportion to them.
    /// </summary>
    public double Epsilon { get; set; } = AdaBeliefTrainerDefaults.Epsilon;

    /// <summary>
    /// Weight decay λ on the weights (not the bias), measured in the scaled feature space (see
    /// <see cref="StandardizeFeatures"/>). Default 0.
    /// </summary>
    [Range(0.0, 0.01, 0.0, false)]
    public double WeightDecay { get; set; } = AdaBeliefDefaults.WeightDecay;

    /// <summary>Decay the weights apart from the adaptive step (AdamW style) instead of adding λθ to the gradient.</summary>
    [BooleanChoice(false)]
    public bool DecoupledWeightDecay { get; set; }

    /// <summary>The largest global L2 norm of the gradient, or null for no clipping.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>The largest absolute value of a gradient element, or null for no clipping.</summary>
    public double? GradientClipValue { get; set; }

    /// <summary>Use AMSGrad's running maximum of the second moment.</summary>
    [BooleanChoice(false)]
    public bool Amsgrad { get; set; }

    /// <summary>Rectify the adaptive step as RAdam does.</summary>
    [BooleanChoice(false)]
    public bool Rectify { get; set; }

    /// <summary>Use a Nesterov first moment.</summary>
    [BooleanChoice(false)]
    public bool Nesterov { get; set; }

    /// <summary>
    /// Passes over the data, at least 1, or null (default) to choose: enough epochs for about
    /// <see cref="TargetSteps"/> optimizer steps, between <see cref="AdaBeliefTrainerDefaults.MinimumEpochs"/> (for a
    /// multiclass fit on dense rows, <see cref="AdaBeliefTrainerDefaults.MinimumMulticlassEpochs"/>) and
    /// <see cref="AdaBeliefTrainerDefaults.MaximumEpochs"/>. Not in the search space: the automatic count adapts to
    /// the data size, which a fixed count cannot; sweep <see cref="TargetSteps"/> instead.
    /// </summary>
    public int? NumberOfEpochs { get; set; }

    /// <summary>
    /// The optimizer steps the automatic epoch count aims for, at least 1; used when <see cref="NumberOfEpochs"/> is
    /// null. Default <see cref="AdaBeliefTrainerDefaults.TargetSteps"/>.
    /// </summary>
    [Range(1000, 20000, AdaBeliefTrainerDefaults.TargetSteps, true)]
    public int TargetSteps { get; set; } = AdaBeliefTrainerDefaults.TargetSteps;

    /// <summary>Rows per mini-batch. Default 64.</summary>
    [Range(16, 512, AdaBeliefTrainerDefaults.BatchSize, true)]
    public int BatchSize { get; set; } = AdaBeliefTrainerDefaults.BatchSize;

    /// <summary>Shuffle the rows every epoch (within blocks of rows; see the docs). Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>The shuffling seed, or null to draw it from the MLContext's seed.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Stop after this many epochs without improvement of the validation loss (or of the training loss without
    /// validation data) and return the best epoch's model; null (default) trains every epoch.
    /// </summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>The smallest loss decrease that counts as an improvement for early stopping. Default 0.</summary>
    public double EarlyStoppingMinDelta { get; set; }

    /// <summary>
    /// Train on scaled features (dense: centered and divided by their largest distance from the mean, so each lies in
    /// [−1, 1] and a rare value is not magnified; sparse: not centered, and divided by their largest magnitude only
    /// where it exceeds 1, so one-hot and normalized text stay exactly as they are) and, for regression, on a
    /// standardized label (centered and divided by its standard deviation); the scaling is folded back into the
    /// returned weights and bias, so raw features and labels of any range train well. Losses and
    /// <c>HuberDelta</c> stay in the label's units. Default true. Not in the search space: without it, raw features of
    /// large range diverge or train useless models.
    /// </summary>
    public bool StandardizeFeatures { get; set; } = true;

    /// <summary>How the bias starts: from the labels (mean, log-odds or class priors; default) or at 0.</summary>
    public BiasInitialization BiasInitialization { get; set; } = BiasInitialization.FromLabels;

    /// <summary>
    /// Data needing at most this many bytes is read into memory once (outside the managed heap, freed when Fit returns);
    /// larger data is streamed each epoch. Both give the same model. Default 2 GiB.
    /// </summary>
    public long MemoryBudgetBytes { get; set; } = AdaBeliefTrainerDefaults.MemoryBudgetBytes;

    /// <summary>
    /// The most threads training uses, at least 1 when set: 1 keeps all of training on the calling thread (mini-batch
    /// gradients and the optimizer's update); null (the default) lets a second core compute each batch's second half
    /// when the data is large, dense and in memory, and spreads the update of 2¹⁹ or more weights over every core. The
    /// model is bit-identical at any setting. Set 1 when other work (parallel sweep trials, say) already uses every core.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>
    /// Called after every epoch with its losses, learning rate and elapsed time, on the thread that called
    /// <c>Fit</c>: the record of each fit as it runs, also when several fits of one trainer run at once.
    /// </summary>
    [JsonIgnore]
    public Action<TrainingProgress>? ProgressCallback { get; set; }

    /// <summary>A shallow copy: what a trainer keeps, so later changes to the caller's object do not reach it.</summary>
    internal AdaBeliefTrainerOptionsBase Clone() => (AdaBeliefTrainerOptionsBase)MemberwiseClone();

    /// <summary>The optimizer's settings from these options, with the learning rate given.</summary>
    internal AdaBeliefOptions ToOptimizerOptions(LearningRateSchedule learningRate, ScheduleUnit scheduleUnit) => new()
    {
        MaxDegreeOfParallelism = NumberOfThreads ?? -1,
        LearningRate = learningRate,
        ScheduleUnit = scheduleUnit,
        Beta1 = Beta1,
        Beta2 = Beta2,
        Epsilon = Epsilon,
        WeightDecay = WeightDecay,
        DecoupledWeightDecay = DecoupledWeightDecay,
        GradientClipNorm = GradientClipNorm,
        GradientClipValue = GradientClipValue,
        Amsgrad = Amsgrad,
        Rectify = Rectify,
        Nesterov = Nesterov,
    };
}
