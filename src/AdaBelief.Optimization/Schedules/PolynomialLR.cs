using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Decays the rate polynomially to zero over a number of counts, then keeps it at zero.</summary>
/// <remarks>
/// <para>
/// ηₜ = η₀ · (1 − min(t, totalIters) / totalIters)^power, where t is the count (steps or epochs completed) and η₀ the
/// base rate.
/// </para>
/// <para>PyTorch: <c>torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters, power)</c> with t = <c>last_epoch</c>.</para>
/// </remarks>
public sealed class PolynomialLR : LearningRateSchedule
{
    /// <summary>Creates a polynomial decay schedule.</summary>
    /// <param name="baseLearningRate">The rate η₀ at count 0; finite and not negative.</param>
    /// <param name="totalIters">Counts until the rate reaches zero; positive. Default 5.</param>
    /// <param name="power">The power of the polynomial; finite and not negative. Default 1 (linear).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public PolynomialLR(double baseLearningRate, long totalIters = 5, double power = 1)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequirePositive(totalIters, nameof(totalIters));
        ArgumentChecks.RequireNonNegative(power, nameof(power));
        BaseLearningRate = baseLearningRate;
        TotalIters = totalIters;
        Power = power;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>Counts until the rate reaches zero.</summary>
    public long TotalIters { get; }

    /// <summary>The power of the polynomial.</summary>
    public double Power { get; }

    /// <inheritdoc/>
    public override long? Horizon => TotalIters;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate * Math.Pow(1.0 - (double)Math.Min(TotalIters, count) / TotalIters, Power);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PolynomialLR({BaseLearningRate}, totalIters: {TotalIters}, power: {Power})");
}
