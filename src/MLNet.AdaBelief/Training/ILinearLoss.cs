namespace MLNet.AdaBelief.Training;

/// <summary>
/// A loss of a linear model over a mini-batch: the weighted loss sum, and optionally its gradient with respect to the
/// weights (K × F, row-major, one row per output) and the K biases.
/// </summary>
/// <remarks>
/// The loss works in whatever feature space the rows are in; feature scaling is folded in by the trainer, so a loss
/// never sees it. Implementations keep per-row scratch in the instance (no allocation per batch) and so are not
/// thread-safe.
/// </remarks>
internal interface ILinearLoss
{
    /// <summary>A loss of the same kind with its own scratch space, for another thread.</summary>
    ILinearLoss Clone();

    /// <summary>K, the number of scores per row (1 except for softmax).</summary>
    int OutputCount { get; }

    /// <summary>True if the label is a real number to predict (regression): training may standardize it.</summary>
    bool IsRegression { get; }

    /// <summary>
    /// Returns Σ wᵢℓᵢ over the batch and adds <paramref name="gradientScale"/> · ∂(Σ wᵢℓᵢ) into the gradients
    /// (which the caller clears; pass 1 / Σ wᵢ to get the gradient of the weighted mean).
    /// </summary>
    /// <exception cref="ArgumentException">A label is not valid for this loss.</exception>
    double Accumulate(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient);

    /// <summary>Writes the biases of the best constant model (all weights 0) for the measured labels.</summary>
    void InitialBiases(DataStatistics statistics, Span<float> biases);

    /// <summary>Returns Σ wᵢℓᵢ over the batch, without the gradient.</summary>
    /// <exception cref="ArgumentException">A label is not valid for this loss.</exception>
    double Evaluate(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases);

    /// <summary>
    /// ℓ of one row from its K scores (for a caller that computes the scores itself, as the sparse path does); writes
    /// dℓ/dzₖ into <paramref name="derivatives"/>.
    /// </summary>
    /// <param name="scores">The row's K scores.</param>
    /// <param name="label">The row's label.</param>
    /// <param name="row">The row's index in its store, for the error message.</param>
    /// <param name="derivatives">Receives the K derivatives.</param>
    /// <exception cref="ArgumentException">The label is not valid for this loss.</exception>
    double EvaluateRow(ReadOnlySpan<float> scores, float label, int row, Span<float> derivatives);
}
