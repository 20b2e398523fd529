namespace MLNet.AdaBelief.Training;

/// <summary>
/// The parameters of a linear model in the optimizer's (scaled) space, and the mini-batch step over them: the part of
/// training that differs between dense rows (<see cref="DenseBatchUpdater"/>) and sparse rows
/// (<see cref="SparseBatchUpdater"/>). The epoch loop, validation and early stopping of
/// <see cref="LinearModelTrainer"/> are the same for both.
/// </summary>
internal interface IBatchUpdater : IDisposable
{
    /// <summary>The optimizer stepping the weights and biases together.</summary>
    AdaBeliefOptimizer Optimizer { get; }

    /// <summary>Called before the first batch of each block.</summary>
    void BeginBlock(RowBlock block);

    /// <summary>
    /// One mini-batch: the loss and its gradient at the current parameters, then one optimizer step. Returns the
    /// batch's weighted loss sum, in the label's own units.
    /// </summary>
    /// <param name="block">The block holding the batch.</param>
    /// <param name="start">The batch's first position in the block's order.</param>
    /// <param name="count">The batch's number of rows.</param>
    /// <param name="batchWeight">Σ wᵢ over the batch; positive.</param>
    /// <param name="epoch">The epoch, for the divergence message.</param>
    /// <exception cref="DivergenceFoundException">The loss or the gradient became non-finite.</exception>
    double Step(RowBlock block, int start, int count, double batchWeight, int epoch);

    /// <summary>Called after the last batch of each block, before the rows of the next are read.</summary>
    void EndBlock();

    /// <summary>Called after the last batch of each epoch, also when it ends with an error.</summary>
    void EndEpoch();

    /// <summary>Throws the divergence error if a parameter or the optimizer's second moment is no longer finite.</summary>
    void CheckFinite(int epoch, double learningRate);

    /// <summary>Writes the current model on raw features and labels: K × F weights (row-major, one row per output) and K biases.</summary>
    void WriteRaw(Span<float> weights, Span<float> biases);
}
