using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>
/// A learning-rate schedule without its length: a rule that builds the schedule once the number of steps (or epochs)
/// of the run is known. Trainers that choose their own epoch count size it themselves, so a one-cycle or cosine
/// schedule always spans the whole run.
/// </summary>
/// <remarks>
/// <para>
/// The factories cover the schedules that need a total count (<see cref="Cosine"/>, <see cref="OneCycle"/>,
/// <see cref="WarmupCosine"/>, <see cref="Polynomial"/>, <see cref="Linear"/>); any other schedule, composites
/// included, can be given as a function of the count:
/// <c>new ScheduleShape(total =&gt; new Sequential([new LinearLR(1e-2, 0.1, 1, total / 10), new CosineAnnealingLR(1e-2, total - total / 10)], [total / 10]), "warm-up then cosine")</c>.
/// </para>
/// <para>
/// In a loop of one's own, <c>shape.Size(epochs * stepsPerEpoch)</c> gives the schedule for
/// <see cref="AdaBeliefOptions.LearningRate"/>.
/// </para>
/// </remarks>
public sealed class ScheduleShape
{
    private readonly Func<long, LearningRateSchedule> _size;
    private readonly string _description;

    /// <summary>Creates a shape from a function that builds the schedule for a given total count.</summary>
    /// <param name="size">Builds the schedule for a run of the given number of steps or epochs (at least 1).</param>
    /// <param name="description">What the shape is, for logs; null for a generic description.</param>
    public ScheduleShape(Func<long, LearningRateSchedule> size, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(size);
        _size = size;
        _description = description ?? "custom schedule shape";
    }

    /// <summary>Builds the schedule for a run of <paramref name="totalCount"/> steps or epochs.</summary>
    /// <param name="totalCount">The number of steps (or epochs, for a schedule that counts epochs) of the run; positive.</param>
    /// <returns>The schedule, checked to cover the whole run.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalCount"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The function returned null, or a schedule whose <see cref="LearningRateSchedule.Horizon"/> is shorter than the run.</exception>
    public LearningRateSchedule Size(long totalCount)
    {
        ArgumentChecks.RequirePositive(totalCount, nameof(totalCount));
        LearningRateSchedule schedule = _size(totalCount)
            ?? throw new InvalidOperationException($"The schedule shape '{_description}' returned null for {totalCount} counts.");
        if (schedule.Horizon is { } horizon && horizon < totalCount)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The schedule shape '{_description}' built {schedule} for a run of {totalCount} counts, but its horizon is only {horizon}."));
        }

        return schedule;
    }

    /// <summary>Cosine annealing from <paramref name="peak"/> to <paramref name="etaMin"/> over the run (<see cref="CosineAnnealingLR"/>).</summary>
    /// <param name="peak">The starting rate; finite and not negative.</param>
    /// <param name="etaMin">The final rate; finite and not negative. Default 0.</param>
    public static ScheduleShape Cosine(double peak, double etaMin = 0)
    {
        ArgumentChecks.RequireNonNegative(peak, nameof(peak));
        ArgumentChecks.RequireNonNegative(etaMin, nameof(etaMin));
        return new(total => new CosineAnnealingLR(peak, total, etaMin), Describe($"cosine from {peak} to {etaMin}"));
    }

    /// <summary>The 1cycle policy over the run (<see cref="OneCycleLR"/>, PyTorch's defaults).</summary>
    /// <param name="maxLearningRate">The peak rate; finite and not negative.</param>
    /// <param name="pctStart">The fraction of the run spent raising the rate; in (0, 1). Default 0.3.</param>
    /// <param name="divFactor">Peak / initial rate; positive. Default 25.</param>
    /// <param name="finalDivFactor">Initial / final rate; positive. Default 1e4.</param>
    /// <param name="threePhase">Return to the initial rate before the final decay. Default false.</param>
    public static ScheduleShape OneCycle(double maxLearningRate, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
    {
        // Checked now, with a valid count, so a bad argument fails where it is passed rather than at Fit.
        _ = new OneCycleLR(maxLearningRate, 1000, pctStart, OneCycleAnnealing.Cosine, divFactor, finalDivFactor, threePhase);
        return new(
            total => new OneCycleLR(maxLearningRate, total, pctStart, OneCycleAnnealing.Cosine, divFactor, finalDivFactor, threePhase),
            Describe($"one cycle to {maxLearningRate}"));
    }

    /// <summary>
    /// A linear warm-up over a fraction of the run, then cosine annealing to <paramref name="etaMin"/> (<see cref="Optimization.WarmupCosine"/>).
    /// </summary>
    /// <param name="peak">The rate reached after the warm-up; finite and not negative.</param>
    /// <param name="warmupFraction">The fraction of the run spent warming up; in [0, 1). Default 0.05.</param>
    /// <param name="etaMin">The final rate; finite and not negative. Default 0.</param>
    public static ScheduleShape WarmupCosine(double peak, double warmupFraction = 0.05, double etaMin = 0)
    {
        ArgumentChecks.RequireNonNegative(peak, nameof(peak));
        ArgumentChecks.RequireInHalfOpenRange(warmupFraction, 0, 1, nameof(warmupFraction));
        ArgumentChecks.RequireNonNegative(etaMin, nameof(etaMin));
        return new(
            total => new WarmupCosine(peak, Math.Min(total - 1, (long)Math.Round(warmupFraction * total)), total, etaMin),
            Describe($"warm-up over {warmupFraction} of the run to {peak}, then cosine to {etaMin}"));
    }

    /// <summary>Polynomial decay from <paramref name="peak"/> to 0 over the run (<see cref="PolynomialLR"/>).</summary>
    /// <param name="peak">The starting rate; finite and not negative.</param>
    /// <param name="power">The exponent; 1 is a straight line. Default 1.</param>
    public static ScheduleShape Polynomial(double peak, double power = 1)
    {
        ArgumentChecks.RequireNonNegative(peak, nameof(peak));
        ArgumentChecks.RequireNonNegative(power, nameof(power));
        return new(total => new PolynomialLR(peak, total, power), Describe($"polynomial decay of power {power} from {peak}"));
    }

    /// <summary>
    /// A straight line from <paramref name="startFactor"/> to <paramref name="endFactor"/> times <paramref name="baseLearningRate"/>
    /// over the run (<see cref="LinearLR"/>).
    /// </summary>
    /// <param name="baseLearningRate">The rate the factors multiply; finite and not negative.</param>
    /// <param name="startFactor">The first step's factor; in (0, 1]. Default 1.</param>
    /// <param name="endFactor">The last step's factor; in [0, 1]. Default 0.</param>
    public static ScheduleShape Linear(double baseLearningRate, double startFactor = 1, double endFactor = 0)
    {
        _ = new LinearLR(baseLearningRate, startFactor, endFactor, 1);
        return new(total => new LinearLR(baseLearningRate, startFactor, endFactor, total), Describe($"linear from {startFactor} to {endFactor} of {baseLearningRate}"));
    }

    /// <summary>The same rate for the whole run.</summary>
    /// <param name="learningRate">The rate; finite and not negative.</param>
    public static ScheduleShape Constant(double learningRate)
    {
        var schedule = new FixedLearningRate(learningRate);
        return new(_ => schedule, Describe($"constant {learningRate}"));
    }

    /// <inheritdoc/>
    public override string ToString() => _description;

    private static string Describe(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
