namespace MLNet.AdaBelief.Training;

/// <summary>A linear model on raw features: K × F weights (row-major, one row per output) and K biases.</summary>
/// <param name="Weights">The weights, K × F row-major.</param>
/// <param name="Biases">The biases, one per output.</param>
internal sealed record LinearModelWeights(float[] Weights, float[] Biases)
{
    /// <summary>The bias of a single-output model.</summary>
    public float Bias => Biases[0];
}
