namespace MLNet.AdaBelief.Training;

/// <summary>
/// Hands out each sparse mini-batch prepared (<see cref="PreparedSparseBatch"/>), preparing the next batch of the block
/// on another core while the current one trains.
/// </summary>
/// <remarks>
/// <para>
/// Two batches alternate: the one the loop trains on, and the one being prepared. A batch is prepared ahead only within
/// its block, and nothing prepared is left outstanding past <see cref="Collect"/>, which the updater calls when a block
/// or an epoch ends, so a streaming source may reuse a block's memory. A batch asked for that was not prepared ahead
/// (a block's first, or one after a batch of weight 0 was skipped) is prepared on the calling thread.
/// </para>
/// <para>
/// Preparing is the same computation whichever thread does it, so the model's bits do not depend on the number of
/// cores; with one core (or <c>NumberOfThreads = 1</c>) everything is prepared on the calling thread.
/// </para>
/// </remarks>
internal sealed class SparseBatchPreparer : IDisposable
{
    private readonly FeatureScaling _scaling;
    private readonly int[] _slotOf;
    private readonly PreparedSparseBatch _first = new(), _second = new();
    private readonly bool _useSecondCore;
    private CoreHandoff? _handoff; // started with an epoch's first block, stopped with the epoch

    // The job posted to the other core: written before it is posted, read by whoever runs it.
    private PreparedSparseBatch? _pending;
    private RowStore? _pendingRows;
    private ReadOnlyMemory<int> _pendingIndices, _pendingAhead;

    /// <param name="scaling">The features' factors (<see cref="FeatureScaling.RawFactor"/>).</param>
    /// <param name="useSecondCore">Whether the next batch may be prepared on another core.</param>
    public SparseBatchPreparer(FeatureScaling scaling, bool useSecondCore)
    {
        _scaling = scaling;
        _slotOf = new int[scaling.FeatureCount];
        Array.Fill(_slotOf, -1);
        _useSecondCore = useSecondCore && Environment.ProcessorCount > 1;
    }

    /// <summary>
    /// The batch <paramref name="indices"/> of <paramref name="rows"/>, prepared; and the next
    /// <paramref name="nextCount"/> rows of <paramref name="ahead"/> posted for preparing on another core.
    /// </summary>
    /// <param name="rows">The block's store.</param>
    /// <param name="indices">The batch's rows.</param>
    /// <param name="ahead">The block's rows after the batch.</param>
    /// <param name="nextCount">The size of the block's next batch (0 for none).</param>
    /// <returns>The prepared batch, valid until the next call.</returns>
    public PreparedSparseBatch Take(RowStore rows, ReadOnlyMemory<int> indices, ReadOnlyMemory<int> ahead, int nextCount)
    {
        PreparedSparseBatch? ready = Collect();
        if (ready is null || !ready.Holds(rows, indices))
        {
            ready = ready == _first ? _second : _first;
            ready.Prepare(rows, indices, ahead.Span, _scaling.RawFactor, _slotOf);
        }

        if (_useSecondCore && nextCount > 0)
        {
            _handoff ??= new CoreHandoff(RunPending, "AdaBelief sparse batches");
            _pending = ready == _first ? _second : _first;
            _pendingRows = rows;
            _pendingIndices = ahead[..nextCount];
            _pendingAhead = ahead[nextCount..];
            _handoff.Post();
        }

        return ready;
    }

    /// <summary>Finishes the batch being prepared ahead, if any, and returns it.</summary>
    public PreparedSparseBatch? Collect()
    {
        PreparedSparseBatch? pending = _pending;
        if (pending is null)
            return null;
        if (_handoff!.TakeBackOrWait())
            RunPending();
        _pending = null;
        _pendingRows = null;
        return pending;
    }

    /// <summary>Collects what is outstanding and stops the other core's thread; the next batch starts it again.</summary>
    public void Stop()
    {
        try
        {
            Collect();
        }
        finally
        {
            _handoff?.Dispose();
            _handoff = null;
        }
    }

    public void Dispose() => Stop();

    private void RunPending() => _pending!.Prepare(_pendingRows!, _pendingIndices, _pendingAhead.Span, _scaling.RawFactor, _slotOf);
}
