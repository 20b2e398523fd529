using System.Numerics.Tensors;

namespace AdaBelief.Optimization.Kernels;

/// <summary>Read-only passes over gradients: finiteness and the sum of squares for the global norm.</summary>
internal static class GradientChecks
{
    /// <summary>The index of the first NaN or ±∞, or −1 if every element is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (TensorPrimitives.IsFiniteAll(values))
            return -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                return i;
        }

        return -1;
    }

    /// <summary>
    /// Σ x², or NaN if an element is not finite. The fast float reduction can overflow for large finite gradients
    /// (above about 1.8e19 per element); then the sum is taken again in double.
    /// </summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        float fast = TensorPrimitives.SumOfSquares(values);
        if (float.IsFinite(fast))
            return fast;
        if (!TensorPrimitives.IsFiniteAll(values))
            return double.NaN;

        double sum = 0;
        foreach (float value in values)
            sum += (double)value * value;
        return sum;
    }
}
