using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;

namespace MLNet.AdaBelief;

/// <summary>
/// Settings shared by the AdaBelief trainers: columns, the optimizer, the epoch loop and the data path. Every
/// setting is a property, and the ones worth sweeping carry search-space attributes, so AutoML can tune them.
/// </summary>
public abstract partial class AdaBeliefTrainerOptionsBase
{
    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = AdaBeliefTrainerDefaults.LabelColumnName;

    /// <summary>The feature column: a known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = AdaBeliefTrainerDefaults.FeatureColumnName;

    /// <summary>The example weight column (Single), or null for equal weights.</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>
    /// The peak learning rate α. Unless <see cref="LearningRateSchedule"/> is set, it decays to 0 over training with
    /// a cosine schedule counted in optimizer steps.
    /// </summary>
    [Range(1e-4, 1.0, AdaBeliefTrainerDefaults.LearningRate, true)]
    public double LearningRate { get; set; } = AdaBeliefTrainerDefaults.LearningRate;

    /// <summary>A learning-rate schedule to use instead of <see cref="LearningRate"/> and its cosine decay; counts <see cref="ScheduleUnit"/>.</summary>
    [JsonIgnore]
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>What <see cref="LearningRateSchedule"/> counts: optimizer steps (default) or epochs.</summary>
    public ScheduleUnit ScheduleUnit { get; set; } = ScheduleUnit.Step;

    /// <summary>β₁, in [0, 1). Default 0.9.</summary>
    [Range(0.5, 0.99, AdaBeliefDefaults.Beta1, false)]
    public double Beta1 { get; set; } = AdaBeliefDefaults.Beta1;

    /// <summary>β₂, in [0, 1). Default 0.999.</summary>
    [Range(0.9, 0.9999, AdaBeliefDefaults.Beta2, false)]
    public double Beta2 { get; set; } = AdaBeliefDefaults.Beta2;

    /// <summary>ε, finite and not negative. Default 1e-16.</summary>
    public double Epsilon { get; set; } = AdaBeliefDefaults.Epsilon;

    /// <summary>
    /// Weight decay λ on the weights (not the bias), measured in the standardized feature space (see
    /// <see cref="StandardizeFeatures"/>). Default 0.
    /// </summary>
    [Range(0.0, 0.1, 0.0, false)]
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
    /// Passes over the data, or null (default) to choose: enough epochs for about
    /// <see cref="AdaBeliefTrainerDefaults.TargetSteps"/> optimizer steps, between
    /// <see cref="AdaBeliefTrainerDefaults.MinimumEpochs"/> and <see cref="AdaBeliefTrainerDefaults.MaximumEpochs"/>.
    /// </summary>
    [Range(1, 500, 20, true)]
    public int? NumberOfEpochs { get; set; }

    /// <summary>Rows per mini-batch. Default 64.</summary>
    [Range(1, 4096, AdaBeliefTrainerDefaults.BatchSize, true)]
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
    /// Train on standardized features (scale only, no centering, for sparse data) and fold the scaling back into the
    /// returned weights and bias, so raw features of any range train well. Default true.
    /// </summary>
    [BooleanChoice(true)]
    public bool StandardizeFeatures { get; set; } = true;

    /// <summary>How the bias starts: from the labels (mean, log-odds or class priors; default) or at 0.</summary>
    public BiasInitialization BiasInitialization { get; set; } = BiasInitialization.FromLabels;

    /// <summary>
    /// Data needing at most this many bytes is read into memory once (outside the managed heap, freed when Fit returns);
    /// larger data is streamed each epoch. Both give the same model. Default 2 GiB.
    /// </summary>
    public long MemoryBudgetBytes { get; set; } = AdaBeliefTrainerDefaults.MemoryBudgetBytes;

    /// <summary>
    /// The most threads that compute mini-batch gradients: 1 keeps training on the calling thread; null (the default)
    /// lets it take a second core for each batch's second half when the data is large, dense and in memory. The model is
    /// bit-identical either way. Set 1 when other work (parallel sweep trials, say) already uses every core.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>Called after every epoch with its losses, learning rate and elapsed time.</summary>
    [JsonIgnore]
    public Action<TrainingProgress>? ProgressCallback { get; set; }

    /// <summary>The optimizer's settings from these options, with the learning rate given.</summary>
    internal AdaBeliefOptions ToOptimizerOptions(LearningRateSchedule learningRate, ScheduleUnit scheduleUnit) => new()
    {
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
