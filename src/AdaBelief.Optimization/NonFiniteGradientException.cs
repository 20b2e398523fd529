using System.Globalization;

namespace AdaBelief.Optimization;

/// <summary>
/// A gradient passed to <see cref="AdaBeliefOptimizer"/> held NaN or ±∞. No such value reached the parameters or the
/// optimizer state; see <see cref="NonFiniteGradientPolicy.Throw"/> for what the step did apply.
/// </summary>
public sealed class NonFiniteGradientException : ArgumentException
{
    /// <summary>Creates the exception for the first bad element.</summary>
    /// <param name="tensorIndex">Which tensor of the step (0 for a single tensor).</param>
    /// <param name="elementIndex">The element's index within that tensor.</param>
    /// <param name="value">The value found there.</param>
    public NonFiniteGradientException(int tensorIndex, int elementIndex, float value)
        : base(
            string.Create(
                CultureInfo.InvariantCulture,
                $"The gradient holds {value} at element {elementIndex} of tensor {tensorIndex}. Lower the learning rate, " +
                $"clip the gradient (GradientClipNorm) or set NonFiniteGradients = SkipStep to skip such steps."),
            "gradients")
    {
        TensorIndex = tensorIndex;
        ElementIndex = elementIndex;
        Value = value;
    }

    /// <summary>Which tensor of the step held the first bad element.</summary>
    public int TensorIndex { get; }

    /// <summary>The index of the first bad element within its tensor.</summary>
    public int ElementIndex { get; }

    /// <summary>The bad value: NaN, +∞ or −∞.</summary>
    public float Value { get; }
}
