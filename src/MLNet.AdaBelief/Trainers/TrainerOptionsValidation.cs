using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// Checks a trainer's options when the trainer is built, naming the option, its value and the rule. Settings that
/// pass through to the epoch loop or the optimizer unchanged (and under the same name) are checked by their rule
/// there, in <see cref="LinearTrainerSettings.Validate"/> and <see cref="AdaBeliefOptions.Validate"/>; only the
/// trainer's own settings have their rules here.
/// </summary>
internal static class TrainerOptionsValidation
{
    public static void Validate(AdaBeliefTrainerOptionsBase options)
    {
        RequireName(options.LabelColumnName, nameof(options.LabelColumnName));
        RequireName(options.FeatureColumnName, nameof(options.FeatureColumnName));

        // A rate of 0 would train nothing but the starting bias, without a word.
        ArgumentChecks.RequirePositive(options.LearningRate, nameof(options.LearningRate));
        ArgumentChecks.RequireDefined(options.LearningRateShape, nameof(options.LearningRateShape));
        if (options.LearningRateSchedule is not null && options.ScheduleShape is not null)
        {
            throw Conflict(
                nameof(options.ScheduleShape),
                "LearningRateSchedule and ScheduleShape are both set; set one: ScheduleShape to let the trainer size the schedule, LearningRateSchedule for one sized by hand.");
        }

        if (options.NumberOfEpochs is < 1)
            throw ArgumentChecks.OutOfRange(nameof(options.NumberOfEpochs), options.NumberOfEpochs, "must be at least 1 when set (null chooses from the data size)");
        ArgumentChecks.RequireAtLeast(options.TargetSteps, 1, nameof(options.TargetSteps));
        if (options.NumberOfThreads is < 1)
            throw ArgumentChecks.OutOfRange(nameof(options.NumberOfThreads), options.NumberOfThreads, "must be at least 1 when set (null uses what helps)");
        ArgumentChecks.RequireNonNegative(options.MemoryBudgetBytes, nameof(options.MemoryBudgetBytes));

        // Settings that pass through under the same names, checked by the rules of the layer that uses them.
        TrainingPlan.LoopSettings(options, epochs: 1, seed: 0, shuffleBlockSize: 1).Validate();
        options.ValidateGeneralization();
        options.ToOptimizerOptions(options.LearningRateSchedule ?? options.LearningRate, options.ScheduleUnit).Validate();
    }

    private static ArgumentException Conflict(string option, string message) => new(message, option);

    private static void RequireName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{option} must name a column.", option);
    }
}
