namespace MLNet.AdaBelief.Training;

/// <summary>Training rows from one <see cref="RowStore"/>: each block is a view of the store, never a copy. Disposing frees the store.</summary>
internal sealed class InMemoryTrainingRows : ITrainingRows, IDisposable
{
    public InMemoryTrainingRows(RowStore rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows = rows;
    }

    /// <summary>The store.</summary>
    public RowStore Rows { get; }

    /// <inheritdoc/>
    public int FeatureCount => Rows.FeatureCount;

    /// <inheritdoc/>
    public bool IsSparse => Rows.IsSparse;

    /// <inheritdoc/>
    public void Dispose() => Rows.Dispose();

    /// <inheritdoc/>
    public IEnumerable<RowBlock> ReadEpoch(EpochPlan plan)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.BlockSize, 1, nameof(plan));
        int rowCount = Rows.RowCount;
        int[] order = new int[Math.Min(plan.BlockSize, rowCount)];
        long block = 0;
        for (long first = 0; first < rowCount; first += plan.BlockSize, block++)
        {
            int count = (int)Math.Min(plan.BlockSize, rowCount - first);
            BlockShuffle.FillOrder(order.AsSpan(0, count), (int)first, plan, block);
            yield return new RowBlock(Rows, order.AsMemory(0, count));
        }
    }
}
