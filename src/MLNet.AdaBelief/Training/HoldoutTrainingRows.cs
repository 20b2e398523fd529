namespace MLNet.AdaBelief.Training;

/// <summary>
/// One side of a <see cref="HoldoutSplit"/> of another source: the rows kept for training, or the rows held out.
/// Each block of the source is passed on with its visiting order filtered to this side's rows, in the same order.
/// </summary>
/// <remarks>
/// A row's position in the stored order is (block index × block size) + its offset in the block. Every source fills a
/// block's order with the block's first row index in its store plus a permutation of 0..n−1
/// (<see cref="BlockShuffle.FillOrder"/>), so the offset is the index minus the smallest index of the block: an
/// in-memory store (indices from the block's first row) and a streaming source (indices from 0) agree.
/// </remarks>
internal sealed class HoldoutTrainingRows : ITrainingRows
{
    private readonly ITrainingRows _source;
    private readonly HoldoutSplit _split;
    private readonly bool _heldOut;

    /// <param name="source">The rows to split.</param>
    /// <param name="split">Which rows are held out.</param>
    /// <param name="heldOut">True for the held-out rows, false for the rows kept for training.</param>
    public HoldoutTrainingRows(ITrainingRows source, HoldoutSplit split, bool heldOut)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _split = split;
        _heldOut = heldOut;
    }

    /// <inheritdoc/>
    public int FeatureCount => _source.FeatureCount;

    /// <inheritdoc/>
    public bool IsSparse => _source.IsSparse;

    /// <inheritdoc/>
    public IEnumerable<RowBlock> ReadEpoch(EpochPlan plan)
    {
        int[] kept = [];
        long blockIndex = 0;
        foreach (RowBlock block in _source.ReadEpoch(plan))
        {
            ReadOnlySpan<int> order = block.Order.Span;
            if (kept.Length < order.Length)
                kept = new int[order.Length];
            int first = int.MaxValue;
            foreach (int row in order)
                first = Math.Min(first, row);
            long firstRow = blockIndex * plan.BlockSize;
            int count = 0;
            foreach (int row in order)
            {
                if (_split.IsHeldOut(firstRow + row - first) == _heldOut)
                    kept[count++] = row;
            }

            blockIndex++;
            yield return new RowBlock(block.Rows, kept.AsMemory(0, count));
        }
    }
}
