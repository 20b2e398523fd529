using System.Collections.ObjectModel;
using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>A rate that is constant between boundaries and jumps to a given value at each boundary.</summary>
/// <remarks>
/// <para>
/// ηₜ = values[k], where k is the number of boundaries ≤ t and t the count (steps or epochs completed): values[0]
/// applies before boundaries[0], and values[i + 1] from count boundaries[i] on.
/// </para>
/// <para>
/// PyTorch has no direct counterpart (MultiStepLR multiplies rather than sets). optax's
/// <c>piecewise_constant_schedule</c> is similar but takes multiplicative scales; TensorFlow's
/// <c>PiecewiseConstantDecay</c> takes values, but its boundaries take effect one count later (it compares with &gt;).
/// </para>
/// </remarks>
public sealed class PiecewiseConstant : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates a piecewise constant schedule.</summary>
    /// <param name="boundaries">Counts at which the rate changes; not negative and strictly increasing. The sequence is copied.</param>
    /// <param name="values">The rates, one more than the boundaries; finite and not negative. The sequence is copied.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have exactly one element more than <paramref name="boundaries"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A boundary or a value is outside its range.</exception>
    public PiecewiseConstant(IEnumerable<long> boundaries, IEnumerable<double> values)
    {
        _boundaries = ArgumentChecks.CopyOf(boundaries, nameof(boundaries));
        _values = ArgumentChecks.CopyOf(values, nameof(values));
        if (_values.Length != _boundaries.Length + 1)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"values must have one element more than boundaries ({_boundaries.Length}); it has {_values.Length}."),
                nameof(values));
        }

        ArgumentChecks.RequireStrictlyIncreasing(_boundaries, 0, nameof(boundaries));
        for (var i = 0; i < _values.Length; i++)
        {
            if (!(_values[i] >= 0) || double.IsInfinity(_values[i]))
                throw ArgumentChecks.OutOfRangeElement(nameof(values), i, _values[i], "must be finite and not negative");
        }

        Boundaries = new ReadOnlyCollection<long>(_boundaries);
        Values = new ReadOnlyCollection<double>(_values);
    }

    /// <summary>The rate before the first boundary, values[0].</summary>
    public override double BaseLearningRate => _values[0];

    /// <summary>Counts at which the rate changes, in increasing order.</summary>
    public IReadOnlyList<long> Boundaries { get; }

    /// <summary>The rates: values[0] before the first boundary, values[i + 1] from boundaries[i] on.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public override double GetLearningRate(long count)
    {
        ArgumentChecks.RequireCount(count);
        return _values[ArgumentChecks.CountAtMost(_boundaries, count)];
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"PiecewiseConstant(boundaries: [{string.Join(", ", _boundaries)}], values: [{string.Join(", ", _values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}])");
}
