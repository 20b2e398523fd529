namespace AdaBelief.Optimization;

/// <summary>
/// A learning rate as a function of a counter: the number of optimizer steps, or of epochs, completed so far.
/// </summary>
/// <remarks>
/// <para>
/// Schedules are immutable and pure: <see cref="GetLearningRate(long)"/> depends only on its argument, so a
/// checkpoint needs nothing but the counter, and composites (<see cref="Sequential"/>, <see cref="Chained"/>) join
/// schedules by calling them. Arguments are validated when a schedule is built. The one schedule that needs
/// feedback, <see cref="ReduceLROnPlateau"/>, keeps its state in an explicit <see cref="PlateauState"/> that the
/// optimizer owns and checkpoints.
/// </para>
/// <para>
/// A plain number converts implicitly to a constant schedule, so <c>LearningRate = 1e-3</c> and
/// <c>LearningRate = new StepLR(1e-3, 30, 0.5)</c> both work. Values agree with PyTorch's <c>torch.optim.lr_scheduler</c>
/// for the same arguments when the counter is PyTorch's <c>last_epoch</c>.
/// </para>
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>The rate the schedule starts from and scales (PyTorch's <c>base_lr</c>).</summary>
    public abstract double BaseLearningRate { get; }

    /// <summary>
    /// The count of steps or epochs the schedule is shaped for, or null for a schedule that goes on with a useful rate
    /// indefinitely. Beyond its horizon <see cref="OneCycleLR"/> throws, <see cref="CosineAnnealingLR"/> rises again,
    /// and <see cref="PolynomialLR"/> and <see cref="WarmupCosine"/> stay at their final rate; a run longer than the
    /// horizon is therefore a mistake, and trainers reject it before training. <see cref="ScheduleShape"/> sizes a
    /// schedule to a run instead.
    /// </summary>
    public virtual long? Horizon => null;

    /// <summary>The learning rate after <paramref name="count"/> steps or epochs (0 for the first step).</summary>
    /// <param name="count">Steps or epochs completed so far; must not be negative.</param>
    public abstract double GetLearningRate(long count);

    /// <summary>Converts a fixed learning rate to a constant schedule.</summary>
    /// <param name="learningRate">The learning rate; must be finite and not negative.</param>
    public static implicit operator LearningRateSchedule(double learningRate) => new FixedLearningRate(learningRate);

    /// <summary>Converts a fixed learning rate to a constant schedule.</summary>
    /// <param name="learningRate">The learning rate; must be finite and not negative.</param>
    public static LearningRateSchedule FromDouble(double learningRate) => new FixedLearningRate(learningRate);
}
