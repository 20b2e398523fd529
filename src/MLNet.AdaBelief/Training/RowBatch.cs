namespace MLNet.AdaBelief.Training;

/// <summary>A mini-batch: rows of one store picked by index, in the order they are visited.</summary>
/// <remarks>
/// Indices rather than copied rows: the in-memory path never moves feature data, and a streaming source points the
/// same type at the block it has just read.
/// </remarks>
internal readonly ref struct RowBatch
{
    public RowBatch(RowStore rows, ReadOnlySpan<int> indices, ReadOnlySpan<int> ahead = default)
    {
        Rows = rows;
        Indices = indices;
        Ahead = ahead;
    }

    /// <summary>The rows that will be visited after this batch, in order (possibly empty): a hint for prefetching only.</summary>
    public ReadOnlySpan<int> Ahead { get; }

    /// <summary>The store the rows come from.</summary>
    public RowStore Rows { get; }

    /// <summary>The rows of the batch, as indices into <see cref="Rows"/>.</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Σ wᵢ over the batch, in double so that a long batch of small weights keeps its precision.</summary>
    public double WeightSum()
    {
        if (Rows.HasUnitWeights)
            return Indices.Length;
        double sum = 0;
        foreach (int row in Indices)
            sum += Rows.Weight(row);
        return sum;
    }
}
