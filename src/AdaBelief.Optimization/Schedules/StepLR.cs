using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Multiplies the rate by a factor every fixed number of counts.</summary>
/// <remarks>
/// <para>ηₜ = η₀ · γ^⌊t / stepSize⌋, where t is the count (steps or epochs completed) and η₀ the base rate.</para>
/// <para>PyTorch: <c>torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma)</c> with t = <c>last_epoch</c>.</para>
/// <example><c>new StepLR(0.001, stepSize: 30, gamma: 0.5)</c> halves the rate every 30 counts.</example>
/// </remarks>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates a step schedule.</summary>
    /// <param name="baseLearningRate">The rate η₀ at count 0; finite and not negative.</param>
    /// <param name="stepSize">Counts between two decays; positive.</param>
    /// <param name="gamma">The factor γ applied at each decay; finite and not negative. Default 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public StepLR(double baseLearningRate, long stepSize, double gamma = 0.1)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequirePositive(stepSize, nameof(stepSize));
        ArgumentChecks.RequireNonNegative(gamma, nameof(gamma));
        BaseLearningRate = baseLearningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>Counts between two decays.</summary>
    public long StepSize { get; }

    /// <summary>The factor γ applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate * Math.Pow(Gamma, count / StepSize);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"StepLR({BaseLearningRate}, stepSize: {StepSize}, gamma: {Gamma})");
}
