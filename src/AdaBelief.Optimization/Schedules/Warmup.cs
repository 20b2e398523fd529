using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Raises the rate linearly from a start rate to the base rate, then keeps the base rate.</summary>
/// <remarks>
/// <para>
/// ηₜ = η_start + (η₀ − η_start) · min(t, warmupCount) / warmupCount, where t is the count (steps or epochs
/// completed) and η₀ the base rate.
/// </para>
/// <para>
/// PyTorch has no direct counterpart; it equals <c>LinearLR</c> with start factor η_start / η₀ and end factor 1, without
/// LinearLR's requirement that the start factor be positive. optax: <c>linear_schedule(η_start, η₀, warmupCount)</c>.
/// To follow the warm-up with another schedule, join them with <see cref="Sequential"/>.
/// </para>
/// </remarks>
public sealed class Warmup : LearningRateSchedule
{
    /// <summary>Creates a linear warm-up.</summary>
    /// <param name="baseLearningRate">The rate η₀ reached at <paramref name="warmupCount"/>; finite and not negative.</param>
    /// <param name="warmupCount">Counts of the warm-up; positive.</param>
    /// <param name="startLearningRate">The rate η_start at count 0; finite and not negative. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public Warmup(double baseLearningRate, long warmupCount, double startLearningRate = 0)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequirePositive(warmupCount, nameof(warmupCount));
        ArgumentChecks.RequireNonNegative(startLearningRate, nameof(startLearningRate));
        BaseLearningRate = baseLearningRate;
        WarmupCount = warmupCount;
        StartLearningRate = startLearningRate;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>Counts of the warm-up.</summary>
    public long WarmupCount { get; }

    /// <summary>The rate η_start at count 0.</summary>
    public double StartLearningRate { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return StartLearningRate + (BaseLearningRate - StartLearningRate) * Math.Min(count, WarmupCount) / WarmupCount;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Warmup({BaseLearningRate}, warmupCount: {WarmupCount}, startLearningRate: {StartLearningRate})");
}
