using System.Collections.ObjectModel;
using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Runs schedules one after another, switching at milestones; each starts again from count 0.</summary>
/// <remarks>
/// <para>
/// ηₜ = schedules[k](t − m), where k is the number of milestones ≤ t, t the count (steps or epochs completed) and m
/// the milestone at which schedule k took over (0 for the first). A typical use is a <see cref="Warmup"/> followed by
/// <see cref="CosineAnnealingLR"/>.
/// </para>
/// <para>
/// PyTorch: <c>torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers, milestones)</c> with t = <c>last_epoch</c>.
/// Each schedule keeps its own base rate. A <see cref="ReduceLROnPlateau"/> cannot be part of it, as in PyTorch.
/// </para>
/// </remarks>
public sealed class Sequential : LearningRateSchedule
{
    private readonly LearningRateSchedule[] _schedules;
    private readonly long[] _milestones;

    /// <summary>Creates a sequence of schedules.</summary>
    /// <param name="schedules">The schedules, at least one; none may be a <see cref="ReduceLROnPlateau"/>. The sequence is copied.</param>
    /// <param name="milestones">Counts at which the next schedule takes over, one fewer than the schedules; positive and strictly increasing. The sequence is copied.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="schedules"/> is empty, holds null or a <see cref="ReduceLROnPlateau"/>, or the number of milestones is not one fewer than the schedules.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A milestone is not positive or not greater than the one before.</exception>
    public Sequential(IEnumerable<LearningRateSchedule> schedules, IEnumerable<long> milestones)
    {
        _schedules = ArgumentChecks.NonEmptyCopyOf(schedules, nameof(schedules));
        ArgumentChecks.RequireNoPlateau(_schedules, nameof(schedules));
        _milestones = ArgumentChecks.CopyOf(milestones, nameof(milestones));
        if (_milestones.Length != _schedules.Length - 1)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"milestones must have one element fewer than schedules ({_schedules.Length}); it has {_milestones.Length}."),
                nameof(milestones));
        }

        ArgumentChecks.RequireStrictlyIncreasing(_milestones, 1, nameof(milestones));
        Schedules = new ReadOnlyCollection<LearningRateSchedule>(_schedules);
        Milestones = new ReadOnlyCollection<long>(_milestones);
    }

    /// <summary>The base rate of the first schedule.</summary>
    public override double BaseLearningRate => _schedules[0].BaseLearningRate;

    /// <summary>The schedules, in the order they run.</summary>
    public IReadOnlyList<LearningRateSchedule> Schedules { get; }

    /// <summary>Counts at which the next schedule takes over.</summary>
    public IReadOnlyList<long> Milestones { get; }

    /// <summary>The last milestone plus the last schedule's horizon, if it has one.</summary>
    public override long? Horizon => _schedules[^1].Horizon is { } last ? (_milestones.Length == 0 ? 0 : _milestones[^1]) + last : null;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or a schedule rejects its count.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        var index = ArgumentChecks.CountAtMost(_milestones, count);
        var start = index == 0 ? 0 : _milestones[index - 1];
        return _schedules[index].GetLearningRate(count - start);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Sequential([{string.Join(", ", _schedules.Select(s => s.ToString()))}], milestones: [{string.Join(", ", _milestones)}])");
}
