namespace MLNet.AdaBelief;

/// <summary>Checks a trainer's options when the trainer is built, naming the option, its value and the rule.</summary>
internal static class TrainerOptionsValidation
{
    public static void Validate(AdaBeliefTrainerOptionsBase options)
    {
        RequireName(options.LabelColumnName, nameof(options.LabelColumnName));
        RequireName(options.FeatureColumnName, nameof(options.FeatureColumnName));
        ArgumentChecks.RequireNonNegative(options.LearningRate, nameof(options.LearningRate));
        if (options.BatchSize < 1)
            throw ArgumentChecks.OutOfRange(nameof(options.BatchSize), options.BatchSize, "must be at least 1");
        if (options.NumberOfEpochs is < 1)
            throw ArgumentChecks.OutOfRange(nameof(options.NumberOfEpochs), options.NumberOfEpochs, "must be at least 1 when set");
        if (options.EarlyStoppingPatience is < 1)
            throw ArgumentChecks.OutOfRange(nameof(options.EarlyStoppingPatience), options.EarlyStoppingPatience, "must be at least 1 when set");
        ArgumentChecks.RequireNonNegative(options.EarlyStoppingMinDelta, nameof(options.EarlyStoppingMinDelta));
        if (options.NumberOfThreads is < 1)
            throw ArgumentChecks.OutOfRange(nameof(options.NumberOfThreads), options.NumberOfThreads, "must be at least 1 when set");
        if (options.MemoryBudgetBytes < 0)
            throw ArgumentChecks.OutOfRange(nameof(options.MemoryBudgetBytes), options.MemoryBudgetBytes, "must not be negative");

        options.ValidateGeneralization();

        // The optimizer's own settings carry the same names here as in AdaBeliefOptions, so its checks name them right.
        options.ToOptimizerOptions(options.LearningRateSchedule ?? options.LearningRate, options.ScheduleUnit).Validate();
    }

    private static void RequireName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{option} must name a column.", option);
    }
}
