namespace AdaBelief.Optimization;

/// <summary>A learning rate that never changes.</summary>
public sealed class FixedLearningRate : LearningRateSchedule
{
    /// <summary>Creates a constant schedule.</summary>
    /// <param name="learningRate">The learning rate; must be finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative, infinite or NaN.</exception>
    public FixedLearningRate(double learningRate)
    {
        ArgumentChecks.RequireNonNegative(learningRate, nameof(learningRate));
        BaseLearningRate = learningRate;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <inheritdoc/>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate;
    }

    /// <inheritdoc/>
    public override string ToString() => BaseLearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
