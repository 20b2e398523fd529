namespace AdaBelief.Optimization;

/// <summary>What a learning-rate schedule counts.</summary>
public enum ScheduleUnit
{
    /// <summary>Optimizer steps: the rate of a step is the schedule's value at the number of steps applied before it.</summary>
    Step = 0,

    /// <summary>Epochs: the rate is the schedule's value at the number of <see cref="AdaBeliefOptimizer.CompleteEpoch"/> calls so far.</summary>
    Epoch = 1,
}
