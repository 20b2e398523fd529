using AdaBelief.Optimization.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// A sparse mini-batch made ready for the score and gradient loops of <see cref="SparseBatchUpdater"/>: for each nonzero
/// of its rows, in row order, the feature, the value times the feature's factor, and the feature's slot in the batch's
/// compact gradient; each row's label and example weight; and the batch's present features in the order they first
/// appear.
/// </summary>
/// <remarks>
/// None of this depends on the weights, so it can be done for the next batch while the current one trains (see
/// <see cref="SparseBatchPipeline"/>): the loops that follow read sequential arrays and gather only the weights, where
/// they would otherwise gather each nonzero's factor and slot as well and branch on the slot's first sight, and each
/// shuffled row's label from the store's (a cache miss a row: a third of the score loop's time on text).
/// The scaled values are the same products the loops would form, so the model's bits do not depend on who prepared
/// the batch.
/// </remarks>
internal sealed class PreparedSparseBatch
{
    /// <summary>Rows ahead of the one being prepared whose features' slots and factors are prefetched.</summary>
    private const int FeatureEntryDistance = 2;

    private int[] _rowStart = new int[65];
    private int[] _features = new int[1024];
    private float[] _scaled = new float[1024];
    private int[] _slots = new int[1024];
    private int[] _present = new int[256];
    private float[] _labels = new float[64];
    private float[] _weights = new float[64];

    /// <summary>The store whose rows were prepared, or null before the first.</summary>
    public RowStore? Rows { get; private set; }

    /// <summary>The prepared rows, as indices into <see cref="Rows"/>.</summary>
    public ReadOnlyMemory<int> Indices { get; private set; }

    /// <summary>The number of distinct features in the batch: its compact gradient has this many rows.</summary>
    public int PresentCount { get; private set; }

    /// <summary>The number of nonzeros of the batch's rows.</summary>
    public int NonzeroCount { get; private set; }

    /// <summary>The batch's distinct features, in the order they first appear; slot s is <c>Present[s]</c>.</summary>
    public ReadOnlySpan<int> Present => _present.AsSpan(0, PresentCount);

    /// <summary>Whether this holds exactly these rows of this store.</summary>
    public bool Holds(RowStore rows, ReadOnlyMemory<int> indices) => ReferenceEquals(Rows, rows) && Indices.Equals(indices);

    /// <summary>The features of the nonzeros of the batch's row at <paramref name="position"/>.</summary>
    public ReadOnlySpan<int> Features(int position) => _features.AsSpan(_rowStart[position], _rowStart[position + 1] - _rowStart[position]);

    /// <summary>The scaled values of the nonzeros of the batch's row at <paramref name="position"/>.</summary>
    public ReadOnlySpan<float> Scaled(int position) => _scaled.AsSpan(_rowStart[position], _rowStart[position + 1] - _rowStart[position]);

    /// <summary>The label of the batch's row at <paramref name="position"/>.</summary>
    public float Label(int position) => _labels[position];

    /// <summary>The example weight of the batch's row at <paramref name="position"/>.</summary>
    public float Weight(int position) => _weights[position];

    /// <summary>The gradient slots of the nonzeros of the batch's row at <paramref name="position"/>.</summary>
    public ReadOnlySpan<int> Slots(int position) => _slots.AsSpan(_rowStart[position], _rowStart[position + 1] - _rowStart[position]);

    /// <summary>
    /// Prepares the rows <paramref name="indices"/> of <paramref name="rows"/>: each nonzero xⱼ becomes xⱼ·factorⱼ, and
    /// each feature gets a slot on first sight.
    /// </summary>
    /// <param name="rows">A sparse store.</param>
    /// <param name="indices">The batch's rows, in the order they are visited.</param>
    /// <param name="ahead">The rows visited after the batch, for prefetching only.</param>
    /// <param name="factors">Each feature's factor (<see cref="FeatureScaling.RawFactor"/>), or empty when every factor is 1 (the values are then copied as they are, the same bits).</param>
    /// <param name="slotOf">Per feature −1, or its slot while this runs; left all −1 again.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    public void Prepare(RowStore rows, ReadOnlyMemory<int> indices, ReadOnlySpan<int> ahead, ReadOnlySpan<float> factors, Span<int> slotOf)
    {
        Rows = rows;
        Indices = indices;
        var batch = new RowBatch(rows, indices.Span, ahead);
        if (_rowStart.Length <= batch.Indices.Length)
        {
            _rowStart = new int[batch.Indices.Length + 1];
            _labels = new float[batch.Indices.Length];
            _weights = new float[batch.Indices.Length];
        }

        int count = 0, present = 0;
        batch.PrefetchFirstRows();
        for (int position = 0; position < batch.Indices.Length; position++)
        {
            batch.PrefetchRowAfter(position);
            if (position + FeatureEntryDistance < batch.Indices.Length)
                PrefetchFeatureEntries(rows.SparseIndices(batch.Indices[position + FeatureEntryDistance]), slotOf, factors);
            int row = batch.Indices[position];
            _labels[position] = rows.Label(row);
            _weights[position] = rows.Weight(row);
            ReadOnlySpan<int> rowIndices = rows.SparseIndices(row);
            ReadOnlySpan<float> values = rows.SparseValues(row);
            _rowStart[position] = count;
            EnsureNonzeroRoom(count + rowIndices.Length);
            if (_present.Length < present + rowIndices.Length)
                Array.Resize(ref _present, Math.Max(present + rowIndices.Length, 2 * _present.Length));

            rowIndices.CopyTo(_features.AsSpan(count));
            if (factors.IsEmpty)
                values.CopyTo(_scaled.AsSpan(count));
            else
                ScaleValues(rowIndices, values, factors, _scaled.AsSpan(count));
            present = AssignSlots(rowIndices, slotOf, _slots.AsSpan(count), _present, present);
            count += rowIndices.Length;
        }

        _rowStart[batch.Indices.Length] = count;
        NonzeroCount = count;
        PresentCount = present;
        foreach (int j in _present.AsSpan(0, present))
            slotOf[j] = -1;
    }

    /// <summary>
    /// Starts loading the slot and the factor of each feature of a row visited a few rows later: each is a scattered
    /// read from an array of one entry per feature, and the two arrays together outgrow the core's cache on text
    /// (2¹⁷ features: half of a batch's preparation waited on these reads).
    /// </summary>
    private static void PrefetchFeatureEntries(ReadOnlySpan<int> features, Span<int> slotOf, ReadOnlySpan<float> factors)
    {
        ref int slot = ref MemoryMarshal.GetReference(slotOf);
        ref float factor = ref MemoryMarshal.GetReference(factors);
        bool scaled = !factors.IsEmpty;
        foreach (int j in features)
        {
            CachePrefetch.Line(ref Unsafe.Add(ref slot, j));
            if (scaled)
                CachePrefetch.Line(ref Unsafe.Add(ref factor, j));
        }
    }

    /// <summary>
    /// Gives each feature of a row its slot, a new one (the next of <paramref name="present"/>) on first sight, and
    /// returns the new count of present features.
    /// </summary>
    /// <remarks>
    /// Without a branch on whether a feature is new: which way that goes is a coin toss on text, and a mispredicted
    /// branch costs more than the stores made whichever way it goes. The choice is made with a mask, not a conditional
    /// expression, which the JIT may compile to a jump; and the loop is a method of its own, so that its few running
    /// values stay in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    private static int AssignSlots(ReadOnlySpan<int> features, Span<int> slotOf, Span<int> slots, int[] presentFeatures, int present)
    {
        ref int feature = ref MemoryMarshal.GetReference(features);
        ref int slotOfFeature = ref MemoryMarshal.GetReference(slotOf);
        ref int slot = ref MemoryMarshal.GetReference(slots);
        ref int presentFeature = ref MemoryMarshal.GetArrayDataReference(presentFeatures);
        for (int n = 0; n < features.Length; n++)
        {
            int j = Unsafe.Add(ref feature, n);
            int assigned = Unsafe.Add(ref slotOfFeature, j);
            int isNew = assigned >> 31; // all ones for a feature not seen yet: slots are −1 until assigned
            Unsafe.Add(ref presentFeature, present) = j; // kept only if new: the next new feature overwrites it
            assigned = (assigned & ~isNew) | (present & isNew);
            Unsafe.Add(ref slotOfFeature, j) = assigned;
            Unsafe.Add(ref slot, n) = assigned;
            present -= isNew;
        }

        return present;
    }

    private static void ScaleValues(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> factors, Span<float> scaled)
    {
        for (int n = 0; n < indices.Length; n++)
            scaled[n] = values[n] * factors[indices[n]];
    }

    private void EnsureNonzeroRoom(int count)
    {
        if (count <= _features.Length)
            return;
        int size = Math.Max(count, 2 * _features.Length);
        Array.Resize(ref _features, size);
        Array.Resize(ref _scaled, size);
        Array.Resize(ref _slots, size);
    }
}
