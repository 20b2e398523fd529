using System.Runtime.CompilerServices;
namespace MLNet.AdaBelief.Training;

/// <summary>
/// Measures the rows of a store that is being filled, a chunk of rows behind the filling and on another core, so that
/// the statistics cost the reading pass no time of its own.
/// </summary>
/// <remarks>
/// <para>
/// The rows enter the statistics one by one in store order, as when the reading thread measures each row itself: the
/// same rows give the same bits, on any number of cores. Without another core each row is measured as it is appended.
/// </para>
/// <para>
/// The other core reads only committed rows, and the store calls <see cref="Collect"/> before it replaces or frees its
/// feature buffers (<see cref="RowStore.BeforeBuffersChange"/>); the follower must be finished or disposed before the
/// store is given up.
/// </para>
/// </remarks>
internal sealed class StatisticsFollower : IDisposable
{
    /// <summary>Rows a chunk holds: enough to make a handoff's microseconds negligible, few enough to keep the other core busy.</summary>
    public const int ChunkRows = 2048;

    private readonly DataStatistics.Builder _builder;
    private readonly RowStore _store;
    private readonly Action _measureChunk, _collect;
    private readonly CoreHandoff? _handoff;
    private int _chunkStart, _chunkEnd; // the chunk posted or last measured; rows before _chunkEnd are measured or posted
    private bool _posted;

    /// <param name="builder">The statistics, holding the store's first <paramref name="measuredRows"/> rows already.</param>
    /// <param name="store">The store being filled.</param>
    /// <param name="measuredRows">Rows of the store already in <paramref name="builder"/>.</param>
    /// <param name="useOtherCore">Whether chunks may be measured on another core.</param>
    public StatisticsFollower(DataStatistics.Builder builder, RowStore store, int measuredRows, bool useOtherCore)
    {
        _builder = builder;
        _store = store;
        _chunkStart = _chunkEnd = measuredRows;
        _measureChunk = MeasureChunk;
        _collect = Collect;
        _handoff = useOtherCore && Environment.ProcessorCount > 1 ? new CoreHandoff(_measureChunk, "AdaBelief statistics") : null;
        store.BeforeBuffersChange = _collect;
    }

    /// <summary>
    /// Called after each row is appended: measures it at once without another core (while it is in cache), else posts
    /// the rows since the last chunk once there are a chunk's worth.
    /// </summary>
    public void RowAdded()
    {
        int rows = _store.RowCount;
        if (_handoff is null)
        {
            _chunkStart = _chunkEnd;
            _chunkEnd = rows;
            MeasureChunk();
            return;
        }

        if (rows - _chunkEnd < ChunkRows)
            return;
        Collect();
        _chunkStart = _chunkEnd;
        _chunkEnd = rows;
        _posted = true;
        _handoff.Post();
    }

    /// <summary>Waits for the chunk being measured on the other core, if any (or measures it here if it was not taken up).</summary>
    public void Collect()
    {
        if (!_posted)
            return;
        _posted = false;
        if (_handoff!.TakeBackOrWait())
            MeasureChunk();
    }

    /// <summary>Measures what is left, stops following the store and returns the statistics of all its rows.</summary>
    public DataStatistics.Builder Finish()
    {
        Collect();
        _chunkStart = _chunkEnd;
        _chunkEnd = _store.RowCount;
        MeasureChunk();
        Dispose();
        return _builder;
    }

    /// <summary>Stops following the store (waiting for a chunk under way); the statistics are then incomplete.</summary>
    public void Dispose()
    {
        try
        {
            Collect();
        }
        finally
        {
            if (_store.BeforeBuffersChange == _collect)
                _store.BeforeBuffersChange = null;
            _handoff?.Dispose();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    private void MeasureChunk()
    {
        for (int row = _chunkStart; row < _chunkEnd; row++)
            _builder.Add(_store, row);
    }
}
