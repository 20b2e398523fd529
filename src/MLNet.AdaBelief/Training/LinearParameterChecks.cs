using System.Numerics.Tensors;

namespace MLNet.AdaBelief.Training;

/// <summary>The end-of-epoch check both batch updaters share: training stops at the first non-finite parameter.</summary>
internal static class LinearParameterChecks
{
    /// <exception cref="DivergenceFoundException">A weight, a bias or a second moment is NaN or ±∞.</exception>
    public static void CheckFinite(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, AdaBeliefOptimizer optimizer, int epoch, double learningRate) =>
        CheckFinite(weights, biases, optimizer.SecondMoment, epoch, learningRate);

    /// <summary>The check on the given parameters and second moments only (the rest known finite).</summary>
    /// <exception cref="DivergenceFoundException">A weight, a bias or a second moment is NaN or ±∞.</exception>
    public static void CheckFinite(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, ReadOnlySpan<float> secondMoments, int epoch, double learningRate)
    {
        if (!AllFinite(weights) || !AllFinite(biases))
            throw TrainingDivergence.Found("a weight became NaN or infinite", epoch, learningRate);

        // A gradient beyond about 1e19 overflows the float second moment to ∞; every later step of that weight is
        // then m/√∞ = 0, so training would silently stop while the weights stay finite.
        if (!AllFinite(secondMoments))
            throw TrainingDivergence.Found("the optimizer's second moment overflowed to infinity (a gradient too large for float)", epoch, learningRate);
    }

    /// <summary>Whether every value is finite; true for none (<see cref="TensorPrimitives.IsFiniteAll{T}"/> says false for an empty span).</summary>
    private static bool AllFinite(ReadOnlySpan<float> values) => values.IsEmpty || TensorPrimitives.IsFiniteAll(values);
}
