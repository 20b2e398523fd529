using Microsoft.ML;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Trainers.Data;

/// <summary>
/// Training rows streamed from an <see cref="IDataView"/>: every epoch opens a cursor, reads one block of valid rows
/// at a time into a reused store, shuffles it as <see cref="BlockShuffle"/> orders and hands it out. Only one block
/// is in memory, so data larger than memory trains, and the batches are those of the in-memory path.
/// </summary>
internal sealed class DataViewTrainingRows : ITrainingRows
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly bool _sparse;

    public DataViewTrainingRows(IDataView data, TrainingColumns columns, bool sparse)
    {
        _data = data;
        _columns = columns;
        _sparse = sparse;
    }

    public int FeatureCount => _columns.FeatureCount;

    public IEnumerable<RowBlock> ReadEpoch(EpochPlan plan)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.BlockSize, 1, nameof(plan));
        using var cursor = new ValidRowCursor(_data, _columns);
        var store = new RowStore(_columns.FeatureCount, _sparse);
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
}
