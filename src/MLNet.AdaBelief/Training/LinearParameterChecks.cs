using System.Numerics.Tensors;

namespace MLNet.AdaBelief.Training;

/// <summary>The end-of-epoch check both batch updaters share: training stops at the first non-finite parameter.</summary>
internal static class LinearParameterChecks
{
    /// <exception cref="DivergenceFoundException">A weight, a bias or a second moment is NaN or ±∞.</exception>
    public static void CheckFinite(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, AdaBeliefOptimizer optimizer, int epoch, double learningRate)
    {
        if (!TensorPrimitives.IsFiniteAll(weights) || !TensorPrimitives.IsFiniteAll(biases))
            throw TrainingDivergence.Found("a weight became NaN or infinite", epoch, learningRate);

        // A gradient beyond about 1e19 overflows the float second moment to ∞; every later step of that weight is
        // then m/√∞ = 0, so training would silently stop while the weights stay finite.
        if (!TensorPrimitives.IsFiniteAll(optimizer.SecondMoment))
            throw TrainingDivergence.Found("the optimizer's second moment overflowed to infinity (a gradient too large for float)", epoch, learningRate);
    }
}
