using System.Globalization;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// Turns a trainer's options and what the first pass found about the data into the epoch loop's settings and the
/// optimizer's options: the automatic epoch count, the default cosine decay, the seed.
/// </summary>
internal sealed record TrainingPlan(LinearTrainerSettings Settings, AdaBeliefOptions OptimizerOptions, long StepsPerEpoch)
{
    public static TrainingPlan Create(AdaBeliefTrainerOptionsBase options, LoadedTrainingData data, Random hostRandom, bool hasValidation = false)
    {
        int seed = options.Seed ?? hostRandom.Next();

        // Without validation data of the user's, a share of the rows may be held out: count the steps of the rest.
        HoldoutSplit? holdout = hasValidation || options.ValidationFraction == 0 ? null : new HoldoutSplit(options.ValidationFraction, seed);
        long stepsPerEpoch = holdout is { } split
            ? split.CountTrainingSteps(data.RowCount, data.BlockSize, options.BatchSize)
            : CountStepsPerEpoch(data.RowCount, data.BlockSize, options.BatchSize);
        long trainingRows = holdout?.CountTrainingRows(data.RowCount) ?? data.RowCount;
        int epochs = options.NumberOfEpochs ?? AutomaticEpochs(stepsPerEpoch);

        // Without a schedule of the user's, the rate decays from its peak to 0 along a cosine over all steps: large
        // steps early, and a small final rate so the last mini-batches do not leave the weights jittering.
        LearningRateSchedule schedule = options.LearningRateSchedule
            ?? (options.LearningRate == 0 ? new FixedLearningRate(0) : new CosineAnnealingLR(options.LearningRate, Math.Max(1, epochs * stepsPerEpoch)));
        ScheduleUnit unit = options.LearningRateSchedule is null ? ScheduleUnit.Step : options.ScheduleUnit;

        AdaBeliefOptions optimizer = options.ToOptimizerOptions(schedule, unit);
        optimizer.WeightDecay += DataSizeL2.WeightDecay(options.L2Regularization, trainingRows, data.Rows.FeatureCount);

        var settings = new LinearTrainerSettings
        {
            Epochs = epochs,
            BatchSize = options.BatchSize,
            Seed = seed,
            Shuffle = options.Shuffle,
            ShuffleBlockSize = data.BlockSize,
            EarlyStoppingPatience = options.EarlyStoppingPatience ?? (holdout is null ? null : AutomaticPatience(epochs)),
            HoldoutFraction = holdout?.Fraction ?? 0,
            AverageFromEpoch = options.AverageIterates ? IterateAverage.TailStart(epochs) : null,
            EarlyStoppingMinDelta = options.EarlyStoppingMinDelta,
            ScaleFeatures = options.StandardizeFeatures,
            BiasInitialization = options.BiasInitialization,
            UseSecondCore = options.NumberOfThreads is not 1,
        };

        return new TrainingPlan(settings, optimizer, stepsPerEpoch);
    }

    /// <summary>Mini-batches per epoch: batches are cut within shuffle blocks, so a block's last batch may be short.</summary>
    public static long CountStepsPerEpoch(long rows, int blockSize, int batchSize)
    {
        long fullBlocks = rows / blockSize;
        long rest = rows % blockSize;
        long perBlock = (blockSize + batchSize - 1) / batchSize;
        return fullBlocks * perBlock + (rest + batchSize - 1) / batchSize;
    }

    /// <summary>Enough epochs for about <see cref="AdaBeliefTrainerDefaults.TargetSteps"/> steps, within the bounds.</summary>
    public static int AutomaticEpochs(long stepsPerEpoch) =>
        (int)Math.Clamp(
            (AdaBeliefTrainerDefaults.TargetSteps + stepsPerEpoch - 1) / Math.Max(1, stepsPerEpoch),
            AdaBeliefTrainerDefaults.MinimumEpochs,
            AdaBeliefTrainerDefaults.MaximumEpochs);

    /// <summary>Epochs without improvement of the held-out loss before training stops: a tenth of the run, at least 5.</summary>
    public static int AutomaticPatience(int epochs) => Math.Max(5, (epochs + 9) / 10);

    public string Describe(LoadedTrainingData data) => string.Create(
        CultureInfo.InvariantCulture,
        $"AdaBelief: {data.RowCount} rows ({(data.IsSparse ? "sparse" : "dense")}, {(data.InMemory ? "in memory" : "streamed")}), " +
        $"{Settings.Epochs} epochs of {StepsPerEpoch} steps, batch {Settings.BatchSize}, learning rate {OptimizerOptions.LearningRate}.");

    public static string DescribeEpoch(TrainingProgress p)
    {
        string validation = p.ValidationLoss is { } v ? FormattableString.Invariant($", validation loss {v:G6}") : string.Empty;
        return FormattableString.Invariant(
            $"Epoch {p.Epoch}: training loss {p.TrainingLoss:G6}{validation}, learning rate {p.LearningRate:G4}, {p.Elapsed.TotalSeconds:F3} s.");
    }
}
