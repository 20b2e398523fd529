using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Scales the base rate by a factor that moves linearly from a start to an end value, then stays.</summary>
/// <remarks>
/// <para>
/// ηₜ = η₀ · (f_start + (f_end − f_start) · min(t, totalIters) / totalIters), where t is the count (steps or epochs
/// completed) and η₀ the base rate.
/// </para>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.LinearLR(optimizer, start_factor, end_factor, total_iters)</c> with
/// t = <c>last_epoch</c>; the same ranges apply (start factor in (0, 1], end factor in [0, 1]).
/// </para>
/// </remarks>
public sealed class LinearLR : LearningRateSchedule
{
    /// <summary>Creates a linear factor schedule.</summary>
    /// <param name="baseLearningRate">The base rate η₀; finite and not negative.</param>
    /// <param name="startFactor">The factor f_start at count 0; in (0, 1]. Default 1/3.</param>
    /// <param name="endFactor">The factor f_end from <paramref name="totalIters"/> on; in [0, 1]. Default 1.</param>
    /// <param name="totalIters">Counts over which the factor moves; positive. Default 5.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public LinearLR(double baseLearningRate, double startFactor = 1.0 / 3, double endFactor = 1.0, long totalIters = 5)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireInLeftOpenRange(startFactor, 0, 1, nameof(startFactor));
        ArgumentChecks.RequireInClosedRange(endFactor, 0, 1, nameof(endFactor));
        ArgumentChecks.RequirePositive(totalIters, nameof(totalIters));
        BaseLearningRate = baseLearningRate;
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>The factor f_start at count 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor f_end reached at <see cref="TotalIters"/>.</summary>
    public double EndFactor { get; }

    /// <summary>Counts over which the factor moves.</summary>
    public long TotalIters { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, count) / TotalIters);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"LinearLR({BaseLearningRate}, startFactor: {StartFactor}, endFactor: {EndFactor}, totalIters: {TotalIters})");
}
