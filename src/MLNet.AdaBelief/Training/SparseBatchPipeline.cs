using System.Runtime.CompilerServices;
using AdaBelief.Optimization;
using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The work of a sparse mini-batch step that does not need the current weights, done on another core alongside the
/// loop's: each batch's gradient, scattered row by row as the loop scores the rows, and the next batch's preparation
/// (<see cref="PreparedSparseBatch"/>), then a share of the optimizer's step, while the loop takes the rest of it.
/// </summary>
/// <remarks>
/// <para>
/// Per batch the loop calls <see cref="Begin"/> (the batch, prepared), then for each row in order writes the row's K
/// gradient coefficients into <see cref="RowCoefficients"/> and calls <see cref="RowScored"/>, then
/// <see cref="FinishGradient"/>, which returns the batch's gradient, one row of K per present feature. The other core
/// adds each row's coefficients times its scaled values into the gradient as soon as the row is scored, rows in batch
/// order and each row's nonzeros in its order: the bits of adding them on the loop's thread, where everything happens
/// without another core (or with <c>NumberOfThreads = 1</c>). A job the other core has not taken up by the time the
/// loop needs the gradient, the loop takes back and does itself.
/// </para>
/// <para>
/// Two prepared batches alternate: the current one, and the next one of the block being prepared. Nothing is left
/// running past <see cref="Settle"/>, which the updater calls when a block or an epoch ends, so a streaming source may
/// reuse a block's memory. A batch that was not prepared ahead (a block's first, or one after a batch of weight 0 was
/// skipped) is prepared on the loop's thread.
/// </para>
/// <para>
/// Once the next batch is prepared, the other core waits for the optimizer's lazy step of the current batch and takes
/// chunks of its rows (<see cref="ISparseStepHelper"/>: the optimizer offers a step of many rows, GitHub issues' 18,000
/// features of 22 classes, and runs chunks itself meanwhile). The step of a row does not depend on which core takes
/// it. The wait ends when the step is offered or when the loop settles the batch.
/// </para>
/// </remarks>
internal sealed class SparseBatchPipeline : ISparseStepHelper, IDisposable
{
    /// <summary>Rows scored between two signals to the other core.</summary>
    private const int RowsPerSignal = 8;

    /// <summary>
    /// Gradient values (nonzeros × K) from which a batch's scatter goes to the other core. Below it the scatter is a few
    /// microseconds, less than moving the gradient's cache lines to the other core and back (synthetic text, 2,560
    /// nonzeros and K = 1 a batch, was slower with it); GitHub issues (about 20,000 nonzeros and K = 22) was faster.
    /// </summary>
    public const int MinimumScatterValues = 16_384;

    private readonly FeatureScaling _scaling;
    private readonly bool _unitFactors; // every feature's factor is 1, as for text and indicators
    private readonly int _outputs;
    private readonly int[] _slotOf;
    private readonly PreparedSparseBatch _first = new(), _second = new();
    private readonly bool _useOtherCore;
    private readonly Action _job;
    private CoreHandoff? _handoff; // started with the first batch, stopped when training ends (Stop)
    private bool _posted;

    // The current batch: its rows' coefficients, how many rows are scored, and its gradient.
    private PreparedSparseBatch? _current;
    private int _rows;
    private float[] _rowCoefficients = new float[64];
    private float[] _gradient = new float[256];
    private int _scoredRows;
    private bool _scatterOnOtherCore;
    private volatile bool _scoringStopped, _scattered;
    private volatile SparseStepChunks? _offeredStep; // the current batch's lazy step, once the optimizer offers it
    private volatile bool _stepClosed; // no step will be offered for the current batch: the loop is settling it
    private AdaBeliefOptimizer? _helped; // the optimizer whose large lazy steps the other core takes part in
    private bool _stepExpected; // the current batch's step will be offered

    // The next batch, prepared by the job after the scatter; set before the job is posted.
    private PreparedSparseBatch? _next;
    private RowStore? _nextRows;
    private ReadOnlyMemory<int> _nextIndices, _nextAhead;

    /// <param name="scaling">The features' factors (<see cref="FeatureScaling.RawFactor"/>).</param>
    /// <param name="outputs">K, the scores per row.</param>
    /// <param name="useOtherCore">Whether another core may take the scatter and the preparation.</param>
    public SparseBatchPipeline(FeatureScaling scaling, int outputs, bool useOtherCore)
    {
        _scaling = scaling;
        _outputs = outputs;
        _unitFactors = !scaling.RawFactor.ContainsAnyExcept(1f);
        _slotOf = new int[scaling.FeatureCount];
        Array.Fill(_slotOf, -1);
        _useOtherCore = useOtherCore && Environment.ProcessorCount > 1;
        _job = ScatterThenPrepareNext;
    }

    /// <summary>
    /// Starts the batch <paramref name="indices"/> of <paramref name="rows"/> and returns it prepared; the next
    /// <paramref name="nextCount"/> rows of <paramref name="ahead"/> (the block's next batch) are prepared meanwhile.
    /// </summary>
    public PreparedSparseBatch Begin(RowStore rows, ReadOnlyMemory<int> indices, ReadOnlyMemory<int> ahead, int nextCount)
    {
        Settle();
        PreparedSparseBatch current = _next is { } next && next.Holds(rows, indices) ? next : Prepare(rows, indices, ahead);
        _current = current;
        _rows = indices.Length;
        int length = current.PresentCount * _outputs;
        if (_gradient.Length < length)
            _gradient = new float[Math.Max(length, 2 * _gradient.Length)];
        if (_rowCoefficients.Length < _rows * _outputs)
            _rowCoefficients = new float[Math.Max(_rows * _outputs, 2 * _rowCoefficients.Length)];
        _scoredRows = 0;
        _scoringStopped = false;
        _scattered = false;
        _offeredStep = null;
        _stepClosed = false;
        _stepExpected = _helped is { } helped && helped.StepsInChunks((long)current.PresentCount * _outputs);
        _next = null;
        _scatterOnOtherCore = _useOtherCore && (long)current.NonzeroCount * _outputs >= MinimumScatterValues;
        if (!_scatterOnOtherCore && !_stepExpected && (!_useOtherCore || nextCount == 0))
            return current; // nothing for the other core: a block's last small batch, or no other core

        if (nextCount > 0)
        {
            _next = current == _first ? _second : _first;
            _nextRows = rows;
            _nextIndices = ahead[..nextCount];
            _nextAhead = ahead[nextCount..];
        }

        _handoff ??= new CoreHandoff(_job, "AdaBelief sparse batches");
        _handoff.Post();
        _posted = true;
        return current;
    }

    /// <summary>Where the loop writes the K gradient coefficients of the row at <paramref name="position"/>.</summary>
    public Span<float> RowCoefficients(int position) => _rowCoefficients.AsSpan(position * _outputs, _outputs);

    /// <summary>
    /// Marks the row at <paramref name="position"/> scored: its coefficients are final. Published to the other core every
    /// <see cref="RowsPerSignal"/> rows and at the batch's last: each publication moves a cache line between the cores.
    /// </summary>
    public void RowScored(int position)
    {
        int scored = position + 1;
        if (scored % RowsPerSignal == 0 || scored == _rows)
            Volatile.Write(ref _scoredRows, scored);
    }

    /// <summary>The batch's gradient, once every row is scored: one row of K per present feature, in slot order.</summary>
    public Span<float> FinishGradient()
    {
        if (!_scatterOnOtherCore)
        {
            Scatter(); // the other core, if any, is preparing the next batch meanwhile
        }
        else if (!_posted || _handoff!.TryTakeBack())
        {
            // Not handed over, or not taken up: the gradient is scattered here and the next batch prepared when it comes.
            _posted = false;
            _next = null;
            Scatter();
        }
        else
        {
            var spinner = default(SpinWait);
            while (!_scattered)
                spinner.SpinOnce(sleep1Threshold: -1);
        }

        return _gradient.AsSpan(0, _current!.PresentCount * _outputs);
    }

    /// <summary>Stops the other core's work on the current batch if the loop failed while scoring it.</summary>
    public void Abandon()
    {
        _scoringStopped = true;
        Settle();
    }

    /// <summary>
    /// Makes the other core take part in <paramref name="optimizer"/>'s large lazy steps, once it has prepared the next
    /// batch; nothing changes without another core.
    /// </summary>
    public void HelpWith(AdaBeliefOptimizer optimizer)
    {
        if (!_useOtherCore)
            return;
        _helped = optimizer;
        optimizer.SparseStepHelper = this;
    }

    /// <inheritdoc/>
    public void Offer(SparseStepChunks chunks) => _offeredStep = chunks;

    /// <summary>Waits for the other core to finish what it was given (the next batch's preparation, usually).</summary>
    public void Settle()
    {
        _stepClosed = true; // a step not offered by now will not be: the other core stops waiting for it
        if (!_posted)
            return;
        _posted = false;
        if (_handoff!.TakeBackOrWait())
            _next = null; // never ran; a batch not prepared ahead is prepared when it comes
    }

    /// <summary>Settles and stops the other core's thread; the next batch starts it again.</summary>
    public void Stop()
    {
        try
        {
            Settle();
        }
        finally
        {
            _handoff?.Dispose();
            _handoff = null;
        }
    }

    public void Dispose() => Stop();

    /// <summary>The factors for <see cref="PreparedSparseBatch.Prepare"/>: none when all are 1, so the values are copied.</summary>
    private ReadOnlySpan<float> Factors => _unitFactors ? default : _scaling.RawFactor;

    private PreparedSparseBatch Prepare(RowStore rows, ReadOnlyMemory<int> indices, ReadOnlyMemory<int> ahead)
    {
        PreparedSparseBatch batch = _current == _first ? _second : _first;
        batch.Prepare(rows, indices, ahead.Span, Factors, _slotOf);
        return batch;
    }

    /// <summary>
    /// The other core's job: this batch's gradient if it is large enough, catching up with the scored rows and done by
    /// the time the loop has scored the last one, then the next batch, while the loop steps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    private void ScatterThenPrepareNext()
    {
        if (_scatterOnOtherCore)
        {
            Scatter();
            _scattered = true;
        }

        _next?.Prepare(_nextRows!, _nextIndices, _nextAhead.Span, Factors, _slotOf);
        if (_stepExpected)
            HelpWithStep();
    }

    /// <summary>Takes chunks of the current batch's lazy step once the optimizer offers it; returns if the loop settles first.</summary>
    private void HelpWithStep()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            if (_offeredStep is { } step)
            {
                step.RunChunks();
                return;
            }

            if (_stepClosed)
                return;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Adds each scored row's coefficients times its scaled values into its features' gradient rows, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    private void Scatter()
    {
        PreparedSparseBatch batch = _current!;
        int outputs = _outputs;
        Span<float> gradient = _gradient.AsSpan(0, batch.PresentCount * outputs);
        gradient.Clear(); // by the core that scatters: the lines stay in its cache

        var spinner = default(SpinWait);
        int scored = 0;
        for (int position = 0; position < _rows; position++)
        {
            while (scored <= position)
            {
                scored = Volatile.Read(ref _scoredRows);
                if (scored > position)
                    break;
                if (_scoringStopped)
                    return;
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            ReadOnlySpan<int> slots = batch.Slots(position);
            ReadOnlySpan<float> scaled = batch.Scaled(position);
            if (outputs == 1)
            {
                float coefficient = _rowCoefficients[position];
                for (int n = 0; n < slots.Length; n++)
                    gradient[slots[n]] += coefficient * scaled[n];
            }
            else
            {
                ReadOnlySpan<float> coefficients = RowCoefficients(position);
                for (int n = 0; n < slots.Length; n++)
                    DenseRowMath.AddScaled(coefficients, scaled[n], gradient.Slice(slots[n] * outputs, outputs));
            }
        }
    }
}
