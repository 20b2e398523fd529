using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>
/// The 1cycle policy: the rate rises from an initial rate to a maximum, then falls far below the initial rate.
/// </summary>
/// <remarks>
/// <para>
/// With η_max the maximum, N the total steps, p the start fraction, η_init = η_max / divFactor and
/// η_final = η_init / finalDivFactor, the phases end at these counts (not necessarily integers):
/// </para>
/// <list type="bullet">
/// <item>two phases: p·N − 1 (η_init → η_max), N − 1 (η_max → η_final);</item>
/// <item>three phases: p·N − 1 (η_init → η_max), 2p·N − 2 (η_max → η_init), N − 1 (η_init → η_final).</item>
/// </list>
/// <para>
/// The count t (steps completed) falls in the first phase whose end is ≥ t, or in the last phase; with s and e that
/// phase's start and end counts (the first starts at 0), the rate is the annealing of <see cref="AnnealStrategy"/> between
/// its two rates at the fraction (t − s) / (e − s). The rate is η_final at t = N − 1; t = N continues the last phase,
/// and larger counts are rejected, as PyTorch does.
/// </para>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, total_steps, pct_start, anneal_strategy,
/// div_factor, final_div_factor, three_phase)</c> with t = <c>last_epoch</c>. Only the learning rate is scheduled:
/// PyTorch's momentum cycling (<c>cycle_momentum</c>) is not part of this schedule.
/// </para>
/// </remarks>
public sealed class OneCycleLR : LearningRateSchedule
{
    private readonly Phase[] _phases;

    /// <summary>Creates a 1cycle schedule.</summary>
    /// <param name="maxLearningRate">The peak rate η_max; finite and not negative.</param>
    /// <param name="totalSteps">The number of steps N in the cycle; positive.</param>
    /// <param name="pctStart">The fraction p of the cycle spent raising the rate; in (0, 1). Default 0.3.</param>
    /// <param name="annealStrategy">How the rate moves within a phase. Default <see cref="OneCycleAnnealing.Cosine"/>.</param>
    /// <param name="divFactor">η_max / η_init; finite and positive. Default 25.</param>
    /// <param name="finalDivFactor">η_init / η_final; finite and positive. Default 1e4.</param>
    /// <param name="threePhase">Whether to return to η_init before the final decay. Default false.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An argument is outside its range, or <paramref name="pctStart"/> makes a phase of zero length (for which
    /// PyTorch divides by zero).
    /// </exception>
    public OneCycleLR(
        double maxLearningRate,
        long totalSteps,
        double pctStart = 0.3,
        OneCycleAnnealing annealStrategy = OneCycleAnnealing.Cosine,
        double divFactor = 25,
        double finalDivFactor = 1e4,
        bool threePhase = false)
    {
        ArgumentChecks.RequireNonNegative(maxLearningRate, nameof(maxLearningRate));
        ArgumentChecks.RequirePositive(totalSteps, nameof(totalSteps));
        ArgumentChecks.RequireInOpenRange(pctStart, 0, 1, nameof(pctStart));
        ArgumentChecks.RequireDefined(annealStrategy, nameof(annealStrategy));
        ArgumentChecks.RequirePositive(divFactor, nameof(divFactor));
        ArgumentChecks.RequirePositive(finalDivFactor, nameof(finalDivFactor));

        MaxLearningRate = maxLearningRate;
        TotalSteps = totalSteps;
        PctStart = pctStart;
        AnnealStrategy = annealStrategy;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
        ThreePhase = threePhase;
        BaseLearningRate = maxLearningRate / divFactor;
        MinLearningRate = BaseLearningRate / finalDivFactor;

        // End counts written exactly as PyTorch's _schedule_phases, so the rounding of p·N matches.
        _phases = threePhase
            ?
            [
                new(pctStart * totalSteps - 1, BaseLearningRate, maxLearningRate),
                new(2 * pctStart * totalSteps - 2, maxLearningRate, BaseLearningRate),
                new(totalSteps - 1, BaseLearningRate, MinLearningRate),
            ]
            :
            [
                new(pctStart * totalSteps - 1, BaseLearningRate, maxLearningRate),
                new(totalSteps - 1, maxLearningRate, MinLearningRate),
            ];

        double start = 0;
        foreach (var phase in _phases)
        {
            if (phase.End == start)
            {
                throw ArgumentChecks.OutOfRange(
                    nameof(pctStart), pctStart, string.Create(CultureInfo.InvariantCulture, $"must not make a phase of zero length with totalSteps {totalSteps}"));
            }

            start = phase.End;
        }
    }

    /// <summary>The initial rate η_init = η_max / divFactor.</summary>
    public override double BaseLearningRate { get; }

    /// <summary>The peak rate η_max.</summary>
    public double MaxLearningRate { get; }

    /// <summary>The final rate η_final = η_init / finalDivFactor.</summary>
    public double MinLearningRate { get; }

    /// <summary>The number of steps N in the cycle.</summary>
    public long TotalSteps { get; }

    /// <summary>The fraction p of the cycle spent raising the rate.</summary>
    public double PctStart { get; }

    /// <summary>How the rate moves within a phase.</summary>
    public OneCycleAnnealing AnnealStrategy { get; }

    /// <summary>η_max / η_init.</summary>
    public double DivFactor { get; }

    /// <summary>η_init / η_final.</summary>
    public double FinalDivFactor { get; }

    /// <summary>Whether the rate returns to η_init before the final decay.</summary>
    public bool ThreePhase { get; }

    /// <inheritdoc/>
    public override long? Horizon => TotalSteps;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or greater than <see cref="TotalSteps"/>.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        if (count > TotalSteps)
        {
            throw ArgumentChecks.OutOfRange(
                nameof(count), count, string.Create(CultureInfo.InvariantCulture, $"must not exceed totalSteps ({TotalSteps})"));
        }

        // The first phase whose end is at or after the count, else the last phase (which extrapolates to count N).
        double start = 0;
        var i = 0;
        while (i < _phases.Length - 1 && count > _phases[i].End)
            start = _phases[i++].End;

        var phase = _phases[i];
        return Anneal(phase.StartRate, phase.EndRate, (count - start) / (phase.End - start));
    }

    private double Anneal(double start, double end, double pct) => AnnealStrategy == OneCycleAnnealing.Cosine
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"OneCycleLR({MaxLearningRate}, totalSteps: {TotalSteps}, pctStart: {PctStart}, annealStrategy: {AnnealStrategy}, divFactor: {DivFactor}, finalDivFactor: {FinalDivFactor}, threePhase: {ThreePhase})");

    /// <summary>One phase: it ends at count <paramref name="End"/> and moves from one rate to another.</summary>
    private readonly record struct Phase(double End, double StartRate, double EndRate);
}
