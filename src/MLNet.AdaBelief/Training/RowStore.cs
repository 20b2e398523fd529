using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Training rows held in memory, appended one at a time: features dense (one row-major array) or sparse (CSR), with a
/// label and an example weight per row.
/// </summary>
/// <remarks>
/// <para>
/// The layout is fixed when the store is made, not per row, so the loss kernels branch once per batch: ML.NET hands
/// out dense and sparse vectors mixed in one column, and each add converts to the store's layout (a dense row's
/// nonzeros go into CSR; a sparse row is scattered into a zeroed dense row).
/// </para>
/// <para>
/// The weights stay null while every weight is 1 (the common case costs no array); the first other weight fills them in.
/// Arrays grow by doubling; <see cref="Clear"/> keeps them, so a streaming source can refill one store per block.
/// Feature values (and a sparse store's indices) live outside the managed heap (<see cref="NativeBuffer{T}"/>): dispose
/// the store when training is done.
/// </para>
/// </remarks>
internal sealed class RowStore : IDisposable
{
    private NativeBuffer<float>? _dense;
    private NativeBuffer<float>? _values;
    private NativeBuffer<int>? _indices;
    private IDisposable? _population; // pages of the buffers above being mapped from another core
    private int[] _rowOffsets = [0];
    private float[] _labels = [];
    private float[]? _weights;
    private int _nonZeroCount;

    /// <summary>Creates an empty store.</summary>
    /// <param name="featureCount">The number of features of every row; not negative.</param>
    /// <param name="sparse">True for CSR storage, false for dense.</param>
    /// <param name="capacity">Rows to reserve room for, if known.</param>
    /// <param name="valueCapacity">For a sparse store, the stored values to reserve room for, if known (growing by
    /// doubling copies the values about once more).</param>
    public RowStore(int featureCount, bool sparse, int capacity = 0, long valueCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(valueCapacity);
        FeatureCount = featureCount;
        IsSparse = sparse;
        if (capacity > 0)
            Reserve(capacity);
        ReserveValues(valueCapacity);
    }

    /// <summary>The number of features of every row.</summary>
    public int FeatureCount { get; }

    /// <summary>True if the features are stored as CSR, false if as one dense row-major array.</summary>
    public bool IsSparse { get; }

    /// <summary>
    /// Starts making the reserved feature values (dense, or a sparse store's values and indices) resident from another
    /// core (see <see cref="MemoryAdvice.PopulateInBackground"/>), stopping a population already under way. The store
    /// stops it itself before it replaces or frees those buffers; <see cref="FinishPopulating"/> stops it when the rows
    /// are in.
    /// </summary>
    public void PopulateInBackground()
    {
        FinishPopulating();
        if (!IsSparse)
            _population = _dense?.PopulateInBackground();
        else if (_values is not null && _indices is not null)
            _population = new BothPopulations(_values.PopulateInBackground(), _indices.PopulateInBackground());
    }

    /// <summary>Stops the population <see cref="PopulateInBackground"/> started, if any, and waits for it.</summary>
    public void FinishPopulating()
    {
        _population?.Dispose();
        _population = null;
    }

    /// <summary>
    /// Makes room in a sparse store for <paramref name="values"/> stored values in all, so that a store whose final size
    /// can be foreseen (rows of a view of known length, at the density of the first ones) grows once instead of by
    /// doubling, which copies the values about once more and maps twice the pages.
    /// </summary>
    public void ReserveValues(long values)
    {
        if (IsSparse && values > _nonZeroCount)
            EnsureNonZeroRoom((int)Math.Min(Array.MaxLength, values) - _nonZeroCount);
    }

    /// <summary>Makes room for <paramref name="rows"/> rows in all without growing the row arrays.</summary>
    public void ReserveRows(int rows)
    {
        if (_labels.Length < rows)
            Array.Resize(ref _labels, rows);
        if (_weights is not null && _weights.Length < rows)
            Array.Resize(ref _weights, rows);
        if (IsSparse && _rowOffsets.Length < rows + 1)
            Array.Resize(ref _rowOffsets, rows + 1);
    }

    /// <summary>The number of rows the arrays hold without growing (for sparse rows, without growing the row arrays).</summary>
    public int Capacity => _labels.Length;

    /// <summary>
    /// Called before the feature buffers are replaced or freed, for a reader of committed rows on another thread
    /// (<see cref="StatisticsFollower"/>) to finish with them first; null for none. Committed rows stay readable through
    /// <see cref="Label"/>, <see cref="Weight"/>, <see cref="SparseIndices"/>, <see cref="SparseValues"/> and
    /// <see cref="DenseRow"/> while rows are appended: the managed row arrays are replaced only after their contents are
    /// copied.
    /// </summary>
    public Action? BeforeBuffersChange { get; set; }

    /// <summary>The label of a committed row.</summary>
    public float Label(int row) => _labels[row];

    /// <summary>The number of rows appended.</summary>
    public int RowCount { get; private set; }

    /// <summary>The feature values a sparse store holds (explicit zeros included); 0 for a dense store.</summary>
    public long SparseValueCount => _nonZeroCount;

    /// <summary>The labels, one per row.</summary>
    public ReadOnlySpan<float> Labels => _labels.AsSpan(0, RowCount);

    /// <summary>True if every example weight is 1 (no weight array is kept).</summary>
    public bool HasUnitWeights => _weights is null;

    /// <summary>The example weight of row <paramref name="row"/>.</summary>
    public float Weight(int row) => _weights is { } weights ? weights[row] : 1f;

    private Span<float> DenseValues => _dense is null ? [] : _dense.Span;

    private Span<float> Values => _values is null ? [] : _values.Span;

    private Span<int> Indices => _indices is null ? [] : _indices.Span;

    /// <summary>The features of every row of a dense store, row after row: row r's are at r × <see cref="FeatureCount"/>.</summary>
    public ReadOnlySpan<float> DenseRows => DenseValues[..(RowCount * FeatureCount)];

    /// <summary>The features of a row of a dense store.</summary>
    public ReadOnlySpan<float> DenseRow(int row) => DenseValues.Slice(row * FeatureCount, FeatureCount);

    /// <summary>
    /// Asks the processor to start loading a row's features into cache (a dense row, or a sparse row's indices and
    /// values; its label and example weight come with <see cref="PrefetchRowStart"/>, a few rows earlier): a hint, with
    /// no effect on results. Rows visited in shuffled order are each a cache (and TLB) miss; issuing the loads a few rows
    /// ahead overlaps them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchRow(int row)
    {
        if ((uint)row >= (uint)RowCount)
            return;
        if (!IsSparse)
        {
            if (FeatureCount > 0)
                CachePrefetch.Range(ref DenseValues[row * FeatureCount], (nuint)FeatureCount);
            return;
        }

        int start = _rowOffsets[row];
        nuint count = (nuint)(_rowOffsets[row + 1] - start);
        if (count == 0)
            return;
        CachePrefetch.Range(ref Indices[start], count);
        CachePrefetch.Range(ref Values[start], count);
    }

    /// <summary>
    /// The first of two prefetches for a row visited soon (see <see cref="RowBatch.StartPrefetchDistance"/>): its label,
    /// its example weight and, for a sparse row, where its nonzeros start, so that <see cref="PrefetchRow"/> a few rows
    /// later reads the offsets from cache. Reading them from memory there stalled the preparation of text batches: a
    /// quarter of its time went to that load.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchRowStart(int row)
    {
        if ((uint)row >= (uint)RowCount)
            return;
        CachePrefetch.Line(ref _labels[row]);
        if (_weights is { } weights)
            CachePrefetch.Line(ref weights[row]);
        if (IsSparse)
            CachePrefetch.Line(ref _rowOffsets[row]);
    }

    /// <summary>The nonzero feature indices of a row of a sparse store, ascending.</summary>
    public ReadOnlySpan<int> SparseIndices(int row) => Indices.Slice(_rowOffsets[row], _rowOffsets[row + 1] - _rowOffsets[row]);

    /// <summary>The nonzero feature values of a row of a sparse store, matching <see cref="SparseIndices"/>.</summary>
    public ReadOnlySpan<float> SparseValues(int row) => Values.Slice(_rowOffsets[row], _rowOffsets[row + 1] - _rowOffsets[row]);

    /// <summary>Appends a row given as a dense vector.</summary>
    /// <exception cref="ArgumentException">The length differs from <see cref="FeatureCount"/>, or a value is not finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    public void AddDenseRow(ReadOnlySpan<float> features, float label, float weight = 1f)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The row has {features.Length} features; the store holds rows of {FeatureCount}.", nameof(features));
        RequireFinite(features, nameof(features));
        CheckLabelAndWeight(label, weight);

        if (IsSparse)
        {
            int nonZeros = CountNonZeros(features);
            EnsureNonZeroRoom(nonZeros);
            Span<int> storedIndices = Indices;
            Span<float> storedValues = Values;
            for (int j = 0; j < features.Length; j++)
            {
                if (features[j] != 0f)
                {
                    storedIndices[_nonZeroCount] = j;
                    storedValues[_nonZeroCount++] = features[j];
                }
            }
        }
        else
        {
            EnsureRowRoom();
            features.CopyTo(DenseValues.Slice(RowCount * FeatureCount, FeatureCount));
        }

        Commit(label, weight);
    }

    /// <summary>Appends a row given by its nonzeros (an ML.NET sparse VBuffer: indices ascending, values matching).</summary>
    /// <exception cref="ArgumentException">The vector length differs from <see cref="FeatureCount"/>, the spans differ in
    /// length, an index is out of range or not ascending, or a value is not finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    public void AddSparseRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int featureCount, float label, float weight = 1f)
    {
        if (featureCount != FeatureCount)
            throw new ArgumentException($"The row is a vector of {featureCount} features; the store holds rows of {FeatureCount}.", nameof(featureCount));
        if (indices.Length != values.Length)
            throw new ArgumentException($"The row has {indices.Length} indices but {values.Length} values.", nameof(values));
        if (!AscendingInRange(indices, FeatureCount))
        {
            for (int k = 0; k < indices.Length; k++)
            {
                if ((uint)indices[k] >= (uint)FeatureCount || (k > 0 && indices[k] <= indices[k - 1]))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Index {indices[k]} at position {k} is out of range [0, {FeatureCount}) or not ascending."), nameof(indices));
            }
        }

        RequireFinite(values, nameof(values));
        CheckLabelAndWeight(label, weight);

        if (IsSparse)
        {
            EnsureNonZeroRoom(indices.Length);
            indices.CopyTo(Indices[_nonZeroCount..]);
            values.CopyTo(Values[_nonZeroCount..]);
            _nonZeroCount += indices.Length;
        }
        else
        {
            EnsureRowRoom();
            Span<float> row = DenseValues.Slice(RowCount * FeatureCount, FeatureCount);
            row.Clear();
            for (int k = 0; k < indices.Length; k++)
                row[indices[k]] = values[k];
        }

        Commit(label, weight);
    }

    /// <summary>
    /// Whether the indices rise strictly from at least 0 to below <paramref name="featureCount"/>: then the first and the
    /// last are the only ones to check against the range, and each neighbor comparison runs a register at a time (a
    /// text row's check was a third of appending it).
    /// </summary>
    private static bool AscendingInRange(ReadOnlySpan<int> indices, int featureCount)
    {
        if (indices.IsEmpty)
            return true;
        if ((uint)indices[0] >= (uint)featureCount || (uint)indices[^1] >= (uint)featureCount)
            return false;
        ref int first = ref MemoryMarshal.GetReference(indices);
        int k = 1;
        if (Vector.IsHardwareAccelerated)
        {
            for (; k + Vector<int>.Count <= indices.Length; k += Vector<int>.Count)
            {
                if (!Vector.GreaterThanAll(Vector.LoadUnsafe(ref first, (nuint)k), Vector.LoadUnsafe(ref first, (nuint)(k - 1))))
                    return false;
            }
        }

        for (; k < indices.Length; k++)
        {
            if (indices[k] <= indices[k - 1])
                return false;
        }

        return true;
    }

    /// <summary>The number of values that are not ±0.</summary>
    /// <remarks>
    /// Counting compares float by float (floats are not bitwise comparable, so the span count is not vectorized); a
    /// vectorized test first answers the usual case of a dense row without zeros.
    /// </remarks>
    public static int CountNonZeros(ReadOnlySpan<float> values) =>
        TensorPrimitives.IsZeroAny(values) ? values.Length - values.Count(0f) : values.Length;

    /// <summary>Frees the dense values (held outside the managed heap); the store must no longer be read.</summary>
    public void Dispose()
    {
        BeforeBuffersChange?.Invoke();
        FinishPopulating();
        _dense?.Dispose();
        _values?.Dispose();
        _indices?.Dispose();
    }

    /// <summary>Removes every row, keeping the arrays for reuse.</summary>
    public void Clear()
    {
        RowCount = 0;
        _nonZeroCount = 0;
        _weights = null;
    }

    private void Commit(float label, float weight)
    {
        if (_labels.Length == RowCount)
            Array.Resize(ref _labels, Grow(_labels.Length, RowCount + 1));
        _labels[RowCount] = label;

        if (weight != 1f && _weights is null)
        {
            // Filled before it is published: a reader of committed rows on another thread sees no weights (all 1) or these.
            var weights = new float[_labels.Length];
            weights.AsSpan(0, RowCount).Fill(1f);
            Volatile.Write(ref _weights, weights);
        }

        if (_weights is not null)
        {
            if (_weights.Length <= RowCount)
                Array.Resize(ref _weights, _labels.Length);
            _weights[RowCount] = weight;
        }

        RowCount++;
        if (IsSparse)
        {
            if (_rowOffsets.Length <= RowCount)
                Array.Resize(ref _rowOffsets, Grow(_rowOffsets.Length, RowCount + 1));
            _rowOffsets[RowCount] = _nonZeroCount;
        }
    }

    private void Reserve(int rows)
    {
        _labels = new float[rows];
        if (IsSparse)
            _rowOffsets = new int[rows + 1];
        else
            _dense = new NativeBuffer<float>(checked(rows * FeatureCount)); // every row is written before it is read
    }

    private void EnsureRowRoom()
    {
        long needed = (long)(RowCount + 1) * FeatureCount;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"{RowCount + 1} dense rows of {FeatureCount} features exceed the largest array; use a streaming source or sparse storage.");
        int length = _dense?.Length ?? 0;
        if (length < needed)
        {
            BeforeBuffersChange?.Invoke();
            FinishPopulating(); // the population must not outlive the buffer it maps
            _dense = Grown(_dense, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * length)), RowCount * FeatureCount);
        }
    }

    private void EnsureNonZeroRoom(int more)
    {
        long needed = (long)_nonZeroCount + more;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"{needed} nonzero values exceed the largest array; use a streaming source.");
        int length = _values?.Length ?? 0;
        if (length < needed)
        {
            int size = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(16L, 2L * length)));
            BeforeBuffersChange?.Invoke();
            FinishPopulating(); // the population must not outlive the buffers it maps
            _values = Grown(_values, size, _nonZeroCount);
            _indices = Grown(_indices, size, _nonZeroCount);
        }
    }

    /// <summary>A buffer of <paramref name="size"/> elements holding the first <paramref name="kept"/> of the old one, which is freed.</summary>
    private static NativeBuffer<T> Grown<T>(NativeBuffer<T>? old, int size, int kept)
        where T : unmanaged
    {
        var larger = new NativeBuffer<T>(size);
        if (old is not null)
        {
            old.Span[..kept].CopyTo(larger.Span);
            old.Dispose();
        }

        return larger;
    }

    private static int Grow(int current, int needed) => (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(16L, 2L * current)));

    private void CheckLabelAndWeight(float label, float weight)
    {
        if (!float.IsFinite(label))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {RowCount} has label {label}; labels must be finite (drop rows with missing labels first)."), nameof(label));
        if (!(weight >= 0f) || float.IsInfinity(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, string.Create(CultureInfo.InvariantCulture, $"Row {RowCount} has example weight {weight}; weights must be finite and not negative."));
    }

    private void RequireFinite(ReadOnlySpan<float> values, string name)
    {
        int bad = GradientChecks.IndexOfNonFinite(values);
        if (bad >= 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {RowCount} holds {values[bad]} at position {bad}; features must be finite (replace missing values first)."), name);
    }

    /// <summary>The populations of a sparse store's two buffers, stopped together.</summary>
    private sealed class BothPopulations(IDisposable values, IDisposable indices) : IDisposable
    {
        public void Dispose()
        {
            values.Dispose();
            indices.Dispose();
        }
    }
}
