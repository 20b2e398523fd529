using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Scales the base rate by a constant factor for a number of counts, then uses the base rate.</summary>
/// <remarks>
/// <para>
/// ηₜ = η₀ · f for t &lt; totalIters and η₀ from then on, where t is the count (steps or epochs completed) and η₀ the
/// base rate. Computed as PyTorch's closed form, η₀ · (f + [t ≥ totalIters] · (1 − f)).
/// </para>
/// <para>PyTorch: <c>torch.optim.lr_scheduler.ConstantLR(optimizer, factor, total_iters)</c> with t = <c>last_epoch</c>.</para>
/// </remarks>
public sealed class ConstantLR : LearningRateSchedule
{
    /// <summary>Creates a constant factor schedule.</summary>
    /// <param name="baseLearningRate">The base rate η₀; finite and not negative.</param>
    /// <param name="factor">The factor f before <paramref name="totalIters"/>; in [0, 1]. Default 1/3.</param>
    /// <param name="totalIters">Counts during which the factor applies; not negative (0 never applies it). Default 5.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ConstantLR(double baseLearningRate, double factor = 1.0 / 3, long totalIters = 5)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireInClosedRange(factor, 0, 1, nameof(factor));
        ArgumentChecks.RequireNonNegative(totalIters, nameof(totalIters));
        BaseLearningRate = baseLearningRate;
        Factor = factor;
        TotalIters = totalIters;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>The factor f applied before <see cref="TotalIters"/>.</summary>
    public double Factor { get; }

    /// <summary>Counts during which the factor applies.</summary>
    public long TotalIters { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        // PyTorch's closed form adds the complement rather than returning η₀ outright; kept for identical rounding.
        return count < TotalIters ? BaseLearningRate * Factor : BaseLearningRate * (Factor + (1 - Factor));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ConstantLR({BaseLearningRate}, factor: {Factor}, totalIters: {TotalIters})");
}
