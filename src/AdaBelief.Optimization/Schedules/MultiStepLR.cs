using System.Collections.ObjectModel;
using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>Multiplies the rate by a factor each time the count reaches one of the milestones.</summary>
/// <remarks>
/// <para>
/// ηₜ = η₀ · γ^k, where k is the number of milestones ≤ t, t the count (steps or epochs completed) and η₀ the base
/// rate. A milestone listed twice counts twice, as in PyTorch (which keeps a counter of milestones); order does not
/// matter.
/// </para>
/// <para>PyTorch: <c>torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones, gamma)</c> with t = <c>last_epoch</c>.</para>
/// <example>
/// <c>new MultiStepLR(0.05, [30, 80])</c> gives 0.05 for counts 0–29, 0.005 for 30–79 and 0.0005 from 80 on.
/// </example>
/// </remarks>
public sealed class MultiStepLR : LearningRateSchedule
{
    private readonly long[] _milestones;

    /// <summary>Creates a multi-step schedule.</summary>
    /// <param name="baseLearningRate">The rate η₀ at count 0; finite and not negative.</param>
    /// <param name="milestones">Counts at which the rate is multiplied by γ; not negative. The sequence is copied.</param>
    /// <param name="gamma">The factor γ applied at each milestone; finite and not negative. Default 0.1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="milestones"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument or a milestone is outside its range.</exception>
    public MultiStepLR(double baseLearningRate, IEnumerable<long> milestones, double gamma = 0.1)
    {
        ArgumentChecks.RequireNonNegative(baseLearningRate, nameof(baseLearningRate));
        _milestones = ArgumentChecks.CopyOf(milestones, nameof(milestones));
        for (var i = 0; i < _milestones.Length; i++)
        {
            if (_milestones[i] < 0)
                throw ArgumentChecks.OutOfRangeElement(nameof(milestones), i, _milestones[i], "must not be negative");
        }

        ArgumentChecks.RequireNonNegative(gamma, nameof(gamma));
        // Sorted so the number of milestones reached is a binary search; duplicates stay and count twice.
        Array.Sort(_milestones);
        BaseLearningRate = baseLearningRate;
        Milestones = new ReadOnlyCollection<long>(_milestones);
        Gamma = gamma;
    }

    /// <inheritdoc/>
    public override double BaseLearningRate { get; }

    /// <summary>The milestones in increasing order, duplicates included.</summary>
    public IReadOnlyList<long> Milestones { get; }

    /// <summary>The factor γ applied at each milestone.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return BaseLearningRate * Math.Pow(Gamma, ArgumentChecks.CountAtMost(_milestones, count));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"MultiStepLR({BaseLearningRate}, milestones: [{string.Join(", ", _milestones)}], gamma: {Gamma})");
}
