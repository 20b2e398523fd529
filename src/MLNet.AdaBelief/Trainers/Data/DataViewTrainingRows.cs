using Microsoft.ML;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Trainers.Data;

/// <summary>
/// Training rows streamed from an <see cref="IDataView"/>: every epoch opens a cursor, reads one block of valid rows
/// at a time into a reused store, shuffles it as <see cref="BlockShuffle"/> orders and hands it out. Only one block
/// is in memory, so data larger than memory trains, and the batches are those of the in-memory path.
/// </summary>
/// <remarks>
/// The block store is sized for a full block when first needed and kept for the next epoch: fresh memory costs a page
/// fault per page the first time it is written, which for a 64 MB block is worth more than the epoch's arithmetic.
/// </remarks>
internal sealed class DataViewTrainingRows : ITrainingRows, IDisposable
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly bool _sparse;
    private readonly int _reservedRows;
    private RowStore? _spareStore;

    /// <param name="data">The view.</param>
    /// <param name="columns">Its training columns.</param>
    /// <param name="sparse">Whether blocks are stored sparse (CSR) or dense.</param>
    /// <param name="reservedRows">The most rows a block will hold (the training block size, capped by the row count), to
    /// make the block store room for at once so that the statistics pass and every epoch share one store; 0 to size
    /// it by each epoch's block size.</param>
    public DataViewTrainingRows(IDataView data, TrainingColumns columns, bool sparse, int reservedRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reservedRows);
        _data = data;
        _columns = columns;
        _sparse = sparse;
        _reservedRows = reservedRows;
    }

    public int FeatureCount => _columns.FeatureCount;

    public bool IsSparse => _sparse;

    public IEnumerable<RowBlock> ReadEpoch(EpochPlan plan)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.BlockSize, 1, nameof(plan));
        using var cursor = new ValidRowCursor(_data, _columns);
        RowStore store = TakeStore(plan.BlockSize);
        try
        {
            var order = new int[plan.BlockSize];
            for (long block = 0; ; block++)
            {
                store.Clear();
                while (store.RowCount < plan.BlockSize && cursor.MoveNext())
                    cursor.AppendTo(store);
                int count = store.RowCount;
                if (count == 0)
                    yield break;

                // Indices are local to the block's store; the permutation does not depend on where the block starts.
                BlockShuffle.FillOrder(order.AsSpan(0, count), 0, plan, block);
                yield return new RowBlock(store, order.AsMemory(0, count));
                if (count < plan.BlockSize)
                    yield break;
            }
        }
        finally
        {
            Interlocked.Exchange(ref _spareStore, store)?.Dispose();
        }
    }

    /// <summary>Frees the kept block store.</summary>
    public void Dispose() => Interlocked.Exchange(ref _spareStore, null)?.Dispose();

    /// <summary>The kept store if it has room and no other epoch is reading into it; else a new one.</summary>
    private RowStore TakeStore(int blockSize)
    {
        int rows = _reservedRows > 0 ? _reservedRows : blockSize;
        RowStore? spare = Interlocked.Exchange(ref _spareStore, null);
        if (spare is not null && spare.Capacity >= rows)
            return spare;
        spare?.Dispose();
        return new RowStore(_columns.FeatureCount, _sparse, rows);
    }
}
