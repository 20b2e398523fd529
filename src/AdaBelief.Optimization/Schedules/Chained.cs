using System.Collections.ObjectModel;
using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Applies several schedules at once: the first gives the rate, the others multiply it by their factors.</summary>
/// <remarks>
/// <para>
/// ηₜ = s₀(t) · ∏ᵢ₌₁ sᵢ(t) / sᵢ.BaseLearningRate, where t is the count (steps or epochs completed). Each schedule after
/// the first contributes only its factor relative to its own base rate, so their base rates need not match.
/// </para>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.ChainedScheduler(schedulers)</c>, whose multiplicative schedulers compose this
/// way when they share one optimizer. For example, a base rate of 1 with <c>ConstantLR(factor 0.1, total 2)</c> and
/// <c>ExponentialLR(gamma 0.9)</c> gives 0.1, 0.09, 0.81, 0.729, 0.6561 for counts 0 to 4. A
/// <see cref="ReduceLROnPlateau"/> cannot be part of it, as in PyTorch.
/// </para>
/// </remarks>
public sealed class Chained : LearningRateSchedule
{
    private readonly LearningRateSchedule[] _schedules;

    /// <summary>Chains schedules.</summary>
    /// <param name="schedules">
    /// The schedules, at least one; none may be a <see cref="ReduceLROnPlateau"/>, and all but the first need a positive
    /// base rate. The sequence is copied.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="schedules"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schedules"/> is empty, or holds null or a <see cref="ReduceLROnPlateau"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A schedule after the first has a base rate of 0, so it has no factor.</exception>
    public Chained(IEnumerable<LearningRateSchedule> schedules)
    {
        _schedules = ArgumentChecks.NonEmptyCopyOf(schedules, nameof(schedules));
        ArgumentChecks.RequireNoPlateau(_schedules, nameof(schedules));
        for (var i = 1; i < _schedules.Length; i++)
        {
            // Its factor is sᵢ(t) / base, which a base of 0 leaves undefined.
            if (!(_schedules[i].BaseLearningRate > 0))
            {
                throw ArgumentChecks.OutOfRangeElement(
                    nameof(schedules), i, _schedules[i].BaseLearningRate, "must have a positive base learning rate to act as a factor");
            }
        }

        Schedules = new ReadOnlyCollection<LearningRateSchedule>(_schedules);
    }

    /// <summary>Chains schedules.</summary>
    /// <param name="schedules">
    /// The schedules, at least one; none may be a <see cref="ReduceLROnPlateau"/>, and all but the first need a positive
    /// base rate. The array is copied.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="schedules"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schedules"/> is empty, or holds null or a <see cref="ReduceLROnPlateau"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A schedule after the first has a base rate of 0, so it has no factor.</exception>
    public Chained(params LearningRateSchedule[] schedules)
        : this((IEnumerable<LearningRateSchedule>)schedules)
    {
    }

    /// <summary>The base rate of the first schedule.</summary>
    public override double BaseLearningRate => _schedules[0].BaseLearningRate;

    /// <summary>The schedules; the first gives the rate, the others factors.</summary>
    public IReadOnlyList<LearningRateSchedule> Schedules { get; }

    /// <summary>The longest horizon of the schedules, or null if none has one.</summary>
    public override long? Horizon => _schedules.Max(s => s.Horizon);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or a schedule rejects its count.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        var rate = _schedules[0].GetLearningRate(count);
        for (var i = 1; i < _schedules.Length; i++)
            rate *= _schedules[i].GetLearningRate(count) / _schedules[i].BaseLearningRate;
        return rate;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Chained({string.Join(", ", _schedules.Select(s => s.ToString()))})");
}
