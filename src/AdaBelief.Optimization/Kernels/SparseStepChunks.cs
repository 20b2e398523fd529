using System.Runtime.ExceptionServices;

namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// One lazy step (<see cref="SparseAdaBeliefKernel"/>) over many named rows, cut into chunks of consecutive rows that
/// any thread may claim: the stepping thread and a helper on another core take chunks until none is left. A row's update
/// reads and writes only that row (its parameters, moments and step count) and the rows are distinct, so the result is
/// bit-for-bit that of one pass on one core, whoever runs which chunk.
/// </summary>
/// <remarks>
/// The spans are held as addresses: the stepping thread keeps them pinned until <see cref="WaitForAll"/> returns, and
/// by then every chunk has been claimed and finished, so a helper that comes late finds nothing to claim and touches no
/// memory.
/// </remarks>
internal sealed unsafe class SparseStepChunks
{
    /// <summary>Rows a chunk holds: a few tens of microseconds of a step for rows of 22 floats.</summary>
    private const int ChunkRows = 512;

    private readonly StepCoefficients _coefficients;
    private readonly float* _parameters, _gradients, _m, _s, _sMax;
    private readonly int* _rows, _counts;
    private readonly int _length, _sMaxLength, _rowCount, _rowLength, _countLength, _chunks;
    private readonly bool _amsgrad, _usesDenominator, _guardNonFinite;
    private readonly KernelWidth _width;
    private readonly RowCorrectionTable? _corrections;
    private readonly double _learningRate;
    private int _claimed, _finished, _nonFiniteGradients, _nonFiniteWrites;
    private Exception? _error;

    public SparseStepChunks(
        in StepCoefficients coefficients, float* parameters, int length, int* rows, int rowCount, float* gradients, int rowLength,
        float* m, float* s, float* sMax, int sMaxLength, bool amsgrad, bool usesDenominator, bool guardNonFinite, KernelWidth width,
        int* counts, int countLength, RowCorrectionTable? corrections, double learningRate)
    {
        _coefficients = coefficients;
        _parameters = parameters;
        _length = length;
        _rows = rows;
        _rowCount = rowCount;
        _gradients = gradients;
        _rowLength = rowLength;
        _m = m;
        _s = s;
        _sMax = sMax;
        _sMaxLength = sMaxLength;
        _amsgrad = amsgrad;
        _usesDenominator = usesDenominator;
        _guardNonFinite = guardNonFinite;
        _width = width;
        _counts = counts;
        _countLength = countLength;
        _corrections = corrections;
        _learningRate = learningRate;
        _chunks = (rowCount + ChunkRows - 1) / ChunkRows;
    }

    /// <summary>Whether every gradient element was finite (a non-finite one leaves its coordinate untouched).</summary>
    public bool GradientsFinite => Volatile.Read(ref _nonFiniteGradients) == 0;

    /// <summary>Whether every parameter and second moment written was finite.</summary>
    public bool WritesFinite => Volatile.Read(ref _nonFiniteWrites) == 0;

    /// <summary>Claims and runs chunks until none is left; any thread, any number of threads at once.</summary>
    public void RunChunks()
    {
        while (true)
        {
            int chunk = Interlocked.Increment(ref _claimed) - 1;
            if (chunk >= _chunks)
                return;
            try
            {
                RunChunk(chunk);
            }
#pragma warning disable CA1031 // rethrown on the stepping thread by WaitForAll
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            finally
            {
                Interlocked.Increment(ref _finished); // counted even if it failed, so that WaitForAll never waits forever
            }
        }
    }

    /// <summary>Waits until every chunk is finished (the chunks a helper claimed last may still be running), then rethrows what a chunk threw.</summary>
    public void WaitForAll()
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _finished) < _chunks)
            spinner.SpinOnce(sleep1Threshold: -1);
        if (Volatile.Read(ref _error) is { } error)
            ExceptionDispatchInfo.Throw(error);
    }

    private void RunChunk(int chunk)
    {
        int start = chunk * ChunkRows;
        int count = Math.Min(ChunkRows, _rowCount - start);
        bool written = true;
        bool finite = SparseAdaBeliefKernel.Apply(
            _coefficients,
            new Span<float>(_parameters, _length),
            new ReadOnlySpan<int>(_rows + start, count),
            new ReadOnlySpan<float>(_gradients + ((long)start * _rowLength), count * _rowLength),
            _rowLength,
            new Span<float>(_m, _length),
            new Span<float>(_s, _length),
            new Span<float>(_sMax, _sMaxLength),
            _amsgrad,
            _usesDenominator,
            _guardNonFinite,
            ref written,
            _width,
            new Span<int>(_counts, _countLength),
            _corrections,
            _learningRate);
        if (!finite)
            Interlocked.Increment(ref _nonFiniteGradients);
        if (!written)
            Interlocked.Increment(ref _nonFiniteWrites);
    }
}
