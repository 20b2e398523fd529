using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Cosine annealing that restarts from the base rate at the end of each period; periods may grow.</summary>
/// <remarks>
/// <para>
/// ηₜ = η_min + (η₀ − η_min) · (1 + cos(π · T_cur / T_i)) / 2, where t is the count (steps or epochs completed),
/// η₀ the base rate, the periods are T₀, T₀·T_mult, T₀·T_mult², …, T_i is the period t falls in and T_cur the counts
/// since that period began. With T₀ = 10 and T_mult = 2 the rate restarts at counts 10, 30, 70, 150, …
/// </para>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0, T_mult, eta_min)</c> stepped with
/// an integer epoch t. The period is found with integer arithmetic rather than PyTorch's logarithm, which gives the
/// same result without rounding at period boundaries.
/// </para>
/// </remarks>
public sealed class CosineAnnealingWarmRestarts : LearningRateSchedule
{
    /// <summary>Creates a cosine schedule with warm restarts.</summary>
    /// <param name="baseLearningRate">The rate η₀ at the start of each period; finite and not negative.</param>
    /// <param name="t0">Counts in the first period, T₀; at least 1.</param>
    /// <param name="tMult">The factor T_mult by which each period is longer than the one before; at least 1. Default 1.</param>
    /// <param name="etaMin">The minimum rate η_min; finite and not negative. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CosineAnnealingWarmRestarts(double baseLearningRate, long t0, long tMult = 1, double etaMin = 0)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireAtLeast(t0, 1, nameof(t0));
        ArgumentChecks.RequireAtLeast(tMult, 1, nameof(tMult));
        ArgumentChecks.RequireNonNegative(etaMin, nameof(etaMin));
        BaseLearningRate = baseLearningRate;
        T0 = t0;
        TMult = tMult;
        EtaMin = etaMin;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>Counts in the first period, T₀.</summary>
    public long T0 { get; }

    /// <summary>The growth factor T_mult of the periods.</summary>
    public long TMult { get; }

    /// <summary>The minimum rate η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        var (tCur, tI) = Position(count);
        return EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * tCur / tI)) / 2;
    }

    /// <summary>Counts since the current period began (T_cur) and the length of that period (T_i).</summary>
    private (double TCur, double TI) Position(long count)
    {
        if (TMult == 1)
            return (count % T0, T0);

        // Walk the periods: each is TMult times longer, so this takes O(log count) iterations. Int128 holds the
        // period after the last multiplication even when count is near long.MaxValue.
        Int128 start = 0, period = T0;
        while (start + period <= count)
        {
            start += period;
            period *= TMult;
        }

        return ((double)(count - start), (double)period);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CosineAnnealingWarmRestarts({BaseLearningRate}, t0: {T0}, tMult: {TMult}, etaMin: {EtaMin})");
}
