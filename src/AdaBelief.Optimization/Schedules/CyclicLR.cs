using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Cycles the rate between a base rate and a maximum along a triangle wave.</summary>
/// <remarks>
/// <para>With t the count (steps completed), η₀ the base rate, η_max the maximum, U and D the counts up and down:</para>
/// <list type="bullet">
/// <item>L = U + D, r = U / L, cycle = ⌊1 + t / L⌋, x = 1 + t / L − cycle (the fraction of the cycle done)</item>
/// <item>s = x / r if x ≤ r, else (x − 1) / (r − 1)</item>
/// <item>ηₜ = η₀ + (η_max − η₀) · s · a, with a = 1 (triangular), 1 / 2^(cycle − 1) (triangular2) or γᵗ (exp_range)</item>
/// </list>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr, max_lr, step_size_up, step_size_down, mode,
/// gamma)</c> with t = <c>last_epoch</c>. Only the learning rate is scheduled: PyTorch's momentum cycling
/// (<c>cycle_momentum</c>) and custom <c>scale_fn</c> are not part of this schedule.
/// </para>
/// </remarks>
public sealed class CyclicLR : LearningRateSchedule
{
    private readonly double _totalSize;
    private readonly double _stepRatio;

    /// <summary>Creates a cyclic schedule.</summary>
    /// <param name="baseLearningRate">The rate η₀ at the bottom of each cycle; finite and not negative.</param>
    /// <param name="maxLearningRate">The rate η_max at the top of the first cycle; finite and not negative.</param>
    /// <param name="stepSizeUp">Counts U from the bottom to the top of a cycle; positive. Default 2000.</param>
    /// <param name="stepSizeDown">Counts D from the top back to the bottom; not negative. Default null: the same as <paramref name="stepSizeUp"/>.</param>
    /// <param name="mode">How the amplitude changes from cycle to cycle. Default <see cref="CyclicMode.Triangular"/>.</param>
    /// <param name="gamma">The factor γ of <see cref="CyclicMode.ExpRange"/>; finite and not negative. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CyclicLR(
        double baseLearningRate,
        double maxLearningRate,
        long stepSizeUp = 2000,
        long? stepSizeDown = null,
        CyclicMode mode = CyclicMode.Triangular,
        double gamma = 1.0)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireNonNegative(maxLearningRate, nameof(maxLearningRate));
        ArgumentChecks.RequirePositive(stepSizeUp, nameof(stepSizeUp));
        if (stepSizeDown is { } down)
            ArgumentChecks.RequireNonNegative(down, nameof(stepSizeDown));
        ArgumentChecks.RequireDefined(mode, nameof(mode));
        ArgumentChecks.RequireNonNegative(gamma, nameof(gamma));

        BaseLearningRate = baseLearningRate;
        MaxLearningRate = maxLearningRate;
        StepSizeUp = stepSizeUp;
        StepSizeDown = stepSizeDown ?? stepSizeUp;
        Mode = mode;
        Gamma = gamma;
        // As PyTorch: sizes converted to floating point before the sum and the ratio.
        _totalSize = (double)StepSizeUp + StepSizeDown;
        _stepRatio = StepSizeUp / _totalSize;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>The rate η_max at the top of the first cycle.</summary>
    public double MaxLearningRate { get; }

    /// <summary>Counts U from the bottom to the top of a cycle.</summary>
    public long StepSizeUp { get; }

    /// <summary>Counts D from the top back to the bottom of a cycle.</summary>
    public long StepSizeDown { get; }

    /// <summary>How the amplitude changes from cycle to cycle.</summary>
    public CyclicMode Mode { get; }

    /// <summary>The factor γ of <see cref="CyclicMode.ExpRange"/>.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        var cycle = Math.Floor(1 + count / _totalSize);
        var x = 1.0 + count / _totalSize - cycle;
        var scaleFactor = x <= _stepRatio ? x / _stepRatio : (x - 1) / (_stepRatio - 1);
        var baseHeight = (MaxLearningRate - BaseLearningRate) * scaleFactor;
        var amplitude = Mode switch
        {
            CyclicMode.Triangular => 1.0,
            CyclicMode.Triangular2 => 1 / Math.Pow(2.0, cycle - 1),
            _ => Math.Pow(Gamma, count),
        };
        return BaseLearningRate + baseHeight * amplitude;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CyclicLR({BaseLearningRate}, maxLearningRate: {MaxLearningRate}, stepSizeUp: {StepSizeUp}, stepSizeDown: {StepSizeDown}, mode: {Mode}, gamma: {Gamma})");
}
