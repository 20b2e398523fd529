using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Multiplies the rate by a factor at every count.</summary>
/// <remarks>
/// <para>ηₜ = η₀ · γᵗ, where t is the count (steps or epochs completed) and η₀ the base rate.</para>
/// <para>PyTorch: <c>torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)</c> with t = <c>last_epoch</c>.</para>
/// </remarks>
public sealed class ExponentialLR : LearningRateSchedule
{
    /// <summary>Creates an exponential schedule.</summary>
    /// <param name="baseLearningRate">The rate η₀ at count 0; finite and not negative.</param>
    /// <param name="gamma">The factor γ applied at each count; finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ExponentialLR(double baseLearningRate, double gamma)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireNonNegative(gamma, nameof(gamma));
        BaseLearningRate = baseLearningRate;
        Gamma = gamma;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>The factor γ applied at each count.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate * Math.Pow(Gamma, count);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ExponentialLR({BaseLearningRate}, gamma: {Gamma})");
}
