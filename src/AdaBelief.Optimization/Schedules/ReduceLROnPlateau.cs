using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Reduces the rate by a factor when a reported metric has stopped improving.</summary>
/// <remarks>
/// <para>
/// Unlike the other schedules its rate depends on reported metrics, not on a count. The schedule itself is immutable;
/// its progress lives in a <see cref="PlateauState"/>: start from <see cref="InitialState"/> and replace the state with
/// the result of <see cref="Report"/> after each evaluation. The optimizer does this and uses
/// <see cref="PlateauState.LearningRate"/>; <see cref="GetLearningRate(long)"/> only gives the rate before any report.
/// </para>
/// <para>On each report of a metric a, as PyTorch does:</para>
/// <list type="number">
/// <item>if a is better than the best metric (see <see cref="ThresholdMode"/>), it becomes the best and the bad-epoch count is reset; otherwise the count grows by one (a NaN metric is never better);</item>
/// <item>during a cooldown, one cooldown report is used up and the bad-epoch count is reset;</item>
/// <item>when the bad-epoch count exceeds the patience, the rate becomes max(η · factor, η_min) if that lowers it by more than ε, and the cooldown and bad-epoch count restart.</item>
/// </list>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode, factor, patience, threshold,
/// threshold_mode, cooldown, min_lr, eps)</c>, with <see cref="Report"/> as <c>step(metric)</c>. It can only be used
/// on its own: <see cref="Sequential"/> and <see cref="Chained"/> reject it, as PyTorch's composites do.
/// </para>
/// </remarks>
public sealed class ReduceLROnPlateau : LearningRateSchedule
{
    /// <summary>Creates a plateau schedule.</summary>
    /// <param name="baseLearningRate">The rate before any reduction; finite and not negative.</param>
    /// <param name="mode">Whether lower or higher metrics are better. Default <see cref="PlateauMode.Min"/>.</param>
    /// <param name="factor">The factor applied at a reduction; in [0, 1). Default 0.1.</param>
    /// <param name="patience">Reports without improvement tolerated before a reduction; not negative. Default 10.</param>
    /// <param name="threshold">The smallest improvement that counts; finite and not negative. Default 1e-4.</param>
    /// <param name="thresholdMode">Whether the threshold is relative or absolute. Default <see cref="ThresholdMode.Relative"/>.</param>
    /// <param name="cooldown">Reports after a reduction during which bad epochs are not counted; not negative. Default 0.</param>
    /// <param name="minLearningRate">The rate is never reduced below η_min; finite and not negative. Default 0.</param>
    /// <param name="eps">Reductions smaller than ε are skipped; finite and not negative. Default 1e-8.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ReduceLROnPlateau(
        double baseLearningRate,
        PlateauMode mode = PlateauMode.Min,
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Relative,
        int cooldown = 0,
        double minLearningRate = 0,
        double eps = 1e-8)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        ArgumentChecks.RequireDefined(mode, nameof(mode));
        ArgumentChecks.RequireInHalfOpenRange(factor, 0, 1, nameof(factor));
        ArgumentChecks.RequireNonNegative(patience, nameof(patience));
        ArgumentChecks.RequireNonNegative(threshold, nameof(threshold));
        ArgumentChecks.RequireDefined(thresholdMode, nameof(thresholdMode));
        ArgumentChecks.RequireNonNegative(cooldown, nameof(cooldown));
        ArgumentChecks.RequireNonNegative(minLearningRate, nameof(minLearningRate));
        ArgumentChecks.RequireNonNegative(eps, nameof(eps));
        BaseLearningRate = baseLearningRate;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Eps = eps;
    }

    /// <summary>The rate before any reduction.</summary>
    public override double BaseLearningRate { get; }

    /// <summary>Whether lower or higher metrics are better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The factor applied at a reduction.</summary>
    public double Factor { get; }

    /// <summary>Reports without improvement tolerated before a reduction.</summary>
    public int Patience { get; }

    /// <summary>The smallest improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is relative or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Reports after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The lowest rate a reduction may reach, η_min.</summary>
    public double MinLearningRate { get; }

    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Eps { get; }

    /// <summary>
    /// The state before any report: the base rate, the worst possible best metric (+∞ in min mode, −∞ in max mode) and
    /// zero counters.
    /// </summary>
    public PlateauState InitialState =>
        new(BaseLearningRate, Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity, 0, 0, 0);

    /// <summary>
    /// The rate before any report, <see cref="BaseLearningRate"/>, whatever the count: this schedule follows metrics, so
    /// the rate in force is <see cref="PlateauState.LearningRate"/> of the state returned by <see cref="Report"/>.
    /// </summary>
    /// <param name="count">Steps or epochs completed so far; must not be negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate;
    }

    /// <summary>The state after reporting a metric; <paramref name="state"/> is not changed.</summary>
    /// <param name="state">The state after the previous report, or <see cref="InitialState"/>.</param>
    /// <param name="metric">The metric just measured, such as a validation loss; NaN counts as no improvement.</param>
    /// <returns>The new state, whose <see cref="PlateauState.LearningRate"/> is the rate to use from now on.</returns>
    public PlateauState Report(PlateauState state, double metric)
    {
        var learningRate = state.LearningRate;
        var best = state.BestMetric;
        var badEpochs = state.BadEpochs;
        var cooldownRemaining = state.CooldownRemaining;

        if (IsBetter(metric, best))
        {
            best = metric;
            badEpochs = 0;
        }
        else if (badEpochs < int.MaxValue)
        {
            // Saturates rather than wraps, so a very long plateau with a huge patience cannot turn negative.
            badEpochs++;
        }

        if (cooldownRemaining > 0)
        {
            cooldownRemaining--;
            badEpochs = 0;
        }

        if (badEpochs > Patience)
        {
            var reduced = Math.Max(learningRate * Factor, MinLearningRate);
            // As PyTorch: a change smaller than eps is not worth making, but the cooldown and count restart anyway.
            if (learningRate - reduced > Eps)
                learningRate = reduced;
            cooldownRemaining = Cooldown;
            badEpochs = 0;
        }

        return new PlateauState(learningRate, best, badEpochs, cooldownRemaining, state.ReportCount + 1);
    }

    private bool IsBetter(double metric, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < best * (1 - Threshold),
        (PlateauMode.Min, _) => metric < best - Threshold,
        (_, ThresholdMode.Relative) => metric > best * (Threshold + 1),
        _ => metric > best + Threshold,
    };

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ReduceLROnPlateau({BaseLearningRate}, mode: {Mode}, factor: {Factor}, patience: {Patience}, threshold: {Threshold}, thresholdMode: {ThresholdMode}, cooldown: {Cooldown}, minLearningRate: {MinLearningRate}, eps: {Eps})");
}
