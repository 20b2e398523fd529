namespace MLNet.AdaBelief;

#pragma warning disable CA1822
// Placeholder replaced by the full schedule on the schedules branch.
/// <summary>Lowers the learning rate when a reported metric stops improving.</summary>
public sealed class ReduceLROnPlateau : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">The starting rate.</param>
    public ReduceLROnPlateau(double baseLearningRate) => BaseLearningRate = baseLearningRate;

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>The state before any report.</summary>
    public PlateauState InitialState => new(BaseLearningRate, double.PositiveInfinity, 0, 0, 0);

    /// <inheritdoc/>
    public override double GetLearningRate(long count) => BaseLearningRate;

    /// <summary>The state after a report.</summary>
    /// <param name="state">The state before.</param>
    /// <param name="metric">The metric.</param>
    public PlateauState Report(PlateauState state, double metric) => state;
}
