using System.Globalization;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// Turns a trainer's options and what the first pass found about the data into the epoch loop's settings and the
/// optimizer's options: the automatic epoch count, the learning-rate schedule sized to the run, the seed.
/// </summary>
/// <param name="Settings">The epoch loop's settings.</param>
/// <param name="OptimizerOptions">The optimizer's options, with the sized schedule.</param>
/// <param name="StepsPerEpoch">Mini-batches per epoch.</param>
/// <param name="Warning">Something the user should know before training starts, or null.</param>
/// <param name="RaisedPeak">What the trainer multiplied the learning rate by at the schedule's peak (<see cref="PeakRateFactor"/>); 1 when it sized no schedule from the rate.</param>
internal sealed record TrainingPlan(LinearTrainerSettings Settings, AdaBeliefOptions OptimizerOptions, long StepsPerEpoch, string? Warning, double RaisedPeak)
{
    /// <param name="options">The trainer's options.</param>
    /// <param name="data">The loaded training rows.</param>
    /// <param name="hostRandom">The host's random source, for a seed when the options give none.</param>
    /// <param name="outputs">The model's outputs: more than one (multiclass) raises the automatic epoch count's minimum on dense rows.</param>
    /// <param name="hasValidation">Whether the user gave validation data (then no training rows are held out).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hand-sized <see cref="AdaBeliefTrainerOptionsBase.LearningRateSchedule"/> is shorter than the run.</exception>
    public static TrainingPlan Create(AdaBeliefTrainerOptionsBase options, LoadedTrainingData data, Random hostRandom, int outputs = 1, bool hasValidation = false)
    {
        int seed = options.Seed ?? hostRandom.Next();

        // Without validation data of the user's, a share of the rows may be held out: count the steps of the rest.
        HoldoutSplit? holdout = hasValidation || options.ValidationFraction == 0 ? null : new HoldoutSplit(options.ValidationFraction, seed);
        long stepsPerEpoch = holdout is { } split
            ? split.CountTrainingSteps(data.RowCount, data.BlockSize, options.BatchSize)
            : CountStepsPerEpoch(data.RowCount, data.BlockSize, options.BatchSize);
        int minimumEpochs = outputs > 1 && !data.IsSparse ? AdaBeliefTrainerDefaults.MinimumMulticlassEpochs : AdaBeliefTrainerDefaults.MinimumEpochs;
        int epochs = options.NumberOfEpochs ?? AutomaticEpochs(stepsPerEpoch, options.TargetSteps, minimumEpochs);
        ScheduleUnit unit = options.LearningRateSchedule is null && options.ScheduleShape is null ? ScheduleUnit.Step : options.ScheduleUnit;
        long runLength = Math.Max(1, unit == ScheduleUnit.Step ? epochs * stepsPerEpoch : epochs);

        double raisedPeak = options.LearningRateSchedule is null && options.ScheduleShape is null ? PeakRateFactor(options, epochs) : 1;
        LearningRateSchedule schedule = options.LearningRateSchedule
            ?? (options.ScheduleShape ?? Shape(options.LearningRateShape, options.LearningRate * raisedPeak)).Size(runLength);
        string? warning = null;
        if (options.LearningRateSchedule?.Horizon is { } horizon)
        {
            string run = DescribeRun(runLength, unit, epochs, stepsPerEpoch);
            if (horizon < runLength)
            {
                throw ArgumentChecks.OutOfRange(
                    nameof(options.LearningRateSchedule),
                    options.LearningRateSchedule,
                    string.Create(CultureInfo.InvariantCulture, $"is shaped for {horizon} {Units(unit)}, but this fit takes {run}; size it for {runLength}, or set ScheduleShape instead (for example ScheduleShape.OneCycle(…)) and the trainer sizes it"));
            }

            if (horizon > runLength && options.EarlyStoppingPatience is null)
                warning = string.Create(CultureInfo.InvariantCulture, $"LearningRateSchedule is shaped for {horizon} {Units(unit)}, but this fit takes {run}: training ends before the schedule does.");
        }

        AdaBeliefOptions optimizer = options.ToOptimizerOptions(schedule, unit);
        LinearTrainerSettings settings = LoopSettings(options, epochs, seed, data.BlockSize) with
        {
            EarlyStoppingPatience = options.EarlyStoppingPatience ?? (holdout is null ? null : AutomaticPatience(epochs)),
            HoldoutFraction = holdout?.Fraction ?? 0,
            L2Strength = options.L2Regularization,
        };
        return new TrainingPlan(settings, optimizer, stepsPerEpoch, warning, raisedPeak);
    }

    /// <summary>
    /// The schedule for a <see cref="LearningRateShape"/>. The default linear decay takes the rate from its peak to 0
    /// over all steps: large steps early, and a small final rate so the last mini-batches do not leave the weights
    /// jittering.
    /// </summary>
    public static ScheduleShape Shape(LearningRateShape shape, double learningRate) => shape switch
    {
        LearningRateShape.WarmupCosine => ScheduleShape.WarmupCosine(learningRate),
        LearningRateShape.OneCycle => ScheduleShape.OneCycle(learningRate),
        LearningRateShape.Linear => ScheduleShape.Linear(learningRate),
        LearningRateShape.Constant => ScheduleShape.Constant(learningRate),
        _ => ScheduleShape.Cosine(learningRate),
    };

    /// <summary>The epoch loop's settings from the options: the one place each option becomes a loop setting.</summary>
    public static LinearTrainerSettings LoopSettings(AdaBeliefTrainerOptionsBase options, int epochs, int seed, int shuffleBlockSize) => new()
    {
        Epochs = epochs,
        BatchSize = options.BatchSize,
        Seed = seed,
        Shuffle = options.Shuffle,
        ShuffleBlockSize = shuffleBlockSize,
        EarlyStoppingPatience = options.EarlyStoppingPatience,
        EarlyStoppingMinDelta = options.EarlyStoppingMinDelta,
        ScaleFeatures = options.StandardizeFeatures,
        StandardizeLabel = options.StandardizeFeatures,
        BiasInitialization = options.BiasInitialization,
        UseSecondCore = options.NumberOfThreads is not 1,
        AverageFromEpoch = options.AverageIterates ? IterateAverage.TailStart(epochs) : null,
    };

    private static string Units(ScheduleUnit unit) => unit == ScheduleUnit.Step ? "steps" : "epochs";

    private static string DescribeRun(long runLength, ScheduleUnit unit, int epochs, long stepsPerEpoch) =>
        unit == ScheduleUnit.Step
            ? FormattableString.Invariant($"{runLength} steps ({epochs} epochs of {stepsPerEpoch} steps)")
            : FormattableString.Invariant($"{epochs} epochs");

    /// <summary>
    /// What the learning rate is multiplied by at the peak of an automatic run of <paramref name="epochs"/> epochs: 1
    /// up to <see cref="AdaBeliefTrainerDefaults.PeakRateFirstEpochs"/> epochs, rising linearly to
    /// <see cref="AdaBeliefTrainerDefaults.MaximumPeakRateFactor"/> at <see cref="AdaBeliefTrainerDefaults.PeakRateFullEpochs"/>.
    /// A run that reads its few rows many times converges on them within its steps, where a larger rate gets further
    /// before the schedule anneals it; a run of a few dozen passes or fewer trades each step's progress for its noise,
    /// and keeps the rate. Only the trainer's own choices move: with <see cref="AdaBeliefTrainerOptionsBase.NumberOfEpochs"/>
    /// set, or a constant rate (which never anneals), the rate is the one given.
    /// </summary>
    public static double PeakRateFactor(AdaBeliefTrainerOptionsBase options, int epochs)
    {
        if (options.NumberOfEpochs is not null || options.LearningRateShape == LearningRateShape.Constant)
            return 1;
        const double First = AdaBeliefTrainerDefaults.PeakRateFirstEpochs, Full = AdaBeliefTrainerDefaults.PeakRateFullEpochs;
        const double Maximum = AdaBeliefTrainerDefaults.MaximumPeakRateFactor;
        return Math.Clamp(1 + ((Maximum - 1) * (epochs - First) / (Full - First)), 1, Maximum);
    }

    /// <summary>Mini-batches per epoch: batches are cut within shuffle blocks, so a block's last batch may be short.</summary>
    public static long CountStepsPerEpoch(long rows, int blockSize, int batchSize)
    {
        long fullBlocks = rows / blockSize;
        long rest = rows % blockSize;
        long perBlock = (blockSize + batchSize - 1) / batchSize;
        return fullBlocks * perBlock + (rest + batchSize - 1) / batchSize;
    }

    /// <summary>Enough epochs for about <paramref name="targetSteps"/> steps, at least <paramref name="minimumEpochs"/> and at most <see cref="AdaBeliefTrainerDefaults.MaximumEpochs"/>.</summary>
    public static int AutomaticEpochs(long stepsPerEpoch, int targetSteps = AdaBeliefTrainerDefaults.TargetSteps, int minimumEpochs = AdaBeliefTrainerDefaults.MinimumEpochs) =>
        (int)Math.Clamp(
            (targetSteps + stepsPerEpoch - 1) / Math.Max(1, stepsPerEpoch),
            minimumEpochs,
            AdaBeliefTrainerDefaults.MaximumEpochs);

    /// <summary>Epochs without improvement of the held-out loss before training stops: a tenth of the run, at least 5.</summary>
    public static int AutomaticPatience(int epochs) => Math.Max(5, (epochs + 9) / 10);

    public string Describe(LoadedTrainingData data)
    {
        string raised = RaisedPeak > 1
            ? string.Create(CultureInfo.InvariantCulture, $" (the peak is {RaisedPeak:0.##} × LearningRate: few rows read over many epochs; set NumberOfEpochs or ScheduleShape for the rate as given)")
            : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"AdaBelief: {data.RowCount} rows ({(data.IsSparse ? "sparse" : "dense")}, {(data.InMemory ? "in memory" : "streamed")}), " +
            $"{Settings.Epochs} epochs of {StepsPerEpoch} steps, batch {Settings.BatchSize}, learning rate {OptimizerOptions.LearningRate}{raised}.");
    }

    public static string DescribeEpoch(TrainingProgress p)
    {
        string validation = p.ValidationLoss is { } v ? FormattableString.Invariant($", validation loss {v:G6}") : string.Empty;
        return FormattableString.Invariant(
            $"Epoch {p.Epoch}: training loss {p.TrainingLoss:G6}{validation}, learning rate {p.LearningRate:G4}, {p.Elapsed.TotalSeconds:F3} s.");
    }
}
