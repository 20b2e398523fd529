using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Anneals the rate from the base rate to a minimum along half a cosine wave.</summary>
/// <remarks>
/// <para>
/// ηₜ = η_min + (η₀ − η_min) · (1 + cos(π · t / T_max)) / 2, where t is the count (steps or epochs completed) and
/// η₀ the base rate. The rate reaches η_min at t = T_max; past it the formula continues, so the rate climbs back,
/// as PyTorch's closed form does.
/// </para>
/// <para>PyTorch: <c>torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min)</c> with t = <c>last_epoch</c>.</para>
/// </remarks>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Creates a cosine annealing schedule.</summary>
    /// <param name="baseLearningRate">The rate η₀ at count 0; finite and not negative.</param>
    /// <param name="tMax">Counts of the half wave, T_max; positive.</param>
    /// <param name="etaMin">The minimum rate η_min reached at T_max; finite and not negative. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CosineAnnealingLR(double baseLearningRate, long tMax, double etaMin = 0)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequirePositive(tMax, nameof(tMax));
        ArgumentChecks.RequireNonNegative(etaMin, nameof(etaMin));
        BaseLearningRate = baseLearningRate;
        TMax = tMax;
        EtaMin = etaMin;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>Counts of the half wave, T_max.</summary>
    public long TMax { get; }

    /// <summary>The minimum rate η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override long? Horizon => TMax;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * count / TMax)) / 2;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CosineAnnealingLR({BaseLearningRate}, tMax: {TMax}, etaMin: {EtaMin})");
}
