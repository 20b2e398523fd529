using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>A linear warm-up from zero to the base rate followed by cosine annealing to a minimum, which then stays.</summary>
/// <remarks>
/// <para>With t the count (steps or epochs completed), η₀ the base rate, W the warm-up counts and T the total counts:</para>
/// <list type="bullet">
/// <item>t &lt; W: ηₜ = η₀ · t / W</item>
/// <item>W ≤ t ≤ T: ηₜ = η_min + (η₀ − η_min) · (1 + cos(π · (t − W) / (T − W))) / 2</item>
/// <item>t &gt; T: ηₜ = η_min</item>
/// </list>
/// <para>
/// W = 0 means no warm-up: plain cosine annealing that stops at η_min. optax:
/// <c>warmup_cosine_decay_schedule(init_value=0, peak_value=η₀, warmup_steps=W, decay_steps=T, end_value=η_min)</c>;
/// in PyTorch, a <c>SequentialLR</c> of a linear warm-up and <c>CosineAnnealingLR(T_max = T − W)</c> that is not
/// stepped past T.
/// </para>
/// </remarks>
public sealed class WarmupCosine : LearningRateSchedule
{
    /// <summary>Creates a warm-up followed by cosine annealing.</summary>
    /// <param name="baseLearningRate">The peak rate η₀, reached at <paramref name="warmupCount"/>; finite and not negative.</param>
    /// <param name="warmupCount">Counts of the warm-up W; not negative and less than <paramref name="totalCount"/>.</param>
    /// <param name="totalCount">The count T at which the rate reaches <paramref name="etaMin"/>; positive.</param>
    /// <param name="etaMin">The final rate η_min; finite and not negative. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public WarmupCosine(double baseLearningRate, long warmupCount, long totalCount, double etaMin = 0)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireNonNegative(warmupCount, nameof(warmupCount));
        ArgumentChecks.RequirePositive(totalCount, nameof(totalCount));
        if (warmupCount >= totalCount)
        {
            throw ArgumentChecks.OutOfRange(
                nameof(warmupCount), warmupCount, string.Create(CultureInfo.InvariantCulture, $"must be less than totalCount ({totalCount})"));
        }

        ArgumentChecks.RequireNonNegative(etaMin, nameof(etaMin));
        BaseLearningRate = baseLearningRate;
        WarmupCount = warmupCount;
        TotalCount = totalCount;
        EtaMin = etaMin;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>Counts of the warm-up W.</summary>
    public long WarmupCount { get; }

    /// <summary>The count T at which the rate reaches <see cref="EtaMin"/>.</summary>
    public long TotalCount { get; }

    /// <summary>The final rate η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override long? Horizon => TotalCount;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        if (count < WarmupCount)
            return BaseLearningRate * count / WarmupCount;
        if (count > TotalCount)
            return EtaMin;
        return EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * (count - WarmupCount) / (TotalCount - WarmupCount))) / 2;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"WarmupCosine({BaseLearningRate}, warmupCount: {WarmupCount}, totalCount: {TotalCount}, etaMin: {EtaMin})");
}
