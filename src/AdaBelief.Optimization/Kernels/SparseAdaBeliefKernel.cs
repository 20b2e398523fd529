using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// The lazy AdaBelief update: the fused step of <see cref="AdaBeliefKernel"/> applied only to the rows of a tensor
/// named by a list of indices, each row <c>rowLength</c> contiguous floats, with the gradients of those rows packed one
/// after another. Rows not named are not read or written.
/// </summary>
/// <remarks>
/// <para>
/// Every coordinate goes through <see cref="AdaBeliefKernel.Update{TWidth, TVector, TVariant}"/> with the same
/// constants, so a row gets exactly the bits the dense step would give it; only the grouping into registers differs,
/// and the update is element-wise.
/// </para>
/// <para>
/// Longer rows run across the row (a linear model's K class weights of one feature) in the widest register they fill,
/// a row that is not a whole number of registers ending in one that overlaps the register before it. Rows of one float
/// (a single-output model) run across indices instead: a register's worth of coordinates is gathered into a small
/// buffer, updated as one register and scattered back, so the divisions and square roots still run a register at a
/// time.
/// </para>
/// </remarks>
internal static class SparseAdaBeliefKernel
{
    /// <summary>
    /// Rows whose parameters and moments are requested ahead of the one being updated: the named rows are scattered over
    /// tensors far larger than the cache, and each row's update takes a few tens of ns against a memory latency of well
    /// over 100 (GitHub issues, rows of 22 weights: eight rows ahead ran its five folds in 17.5-21.1 s against 18.9-24.0 s
    /// at four, alternated).
    /// </summary>
    private const int RowPrefetchDistance = 8;

    /// <summary>
    /// Applies one step to the named rows. The caller has checked that every index is in range and appears once, and
    /// that <paramref name="gradients"/> holds indices × rowLength values; sMax is empty unless amsgrad. Returns false if
    /// a gradient element was not finite (its coordinate was left untouched); always true unless guardNonFinite.
    /// rowCounts is empty for the optimizer's own bias correction (in the coefficients); otherwise it holds each row's
    /// step count (<see cref="SparseStepCount.PerRow"/>), advanced here for every named row, whose corrections then come
    /// from corrections (covering the advanced counts) times learningRate. <paramref name="writesFinite"/> is cleared if a
    /// parameter or second moment written is not finite (a finite gradient can still overflow the second moment): the
    /// check costs nothing in a step bound by memory, and spares a caller a scan of the whole tensor to find it.
    /// </summary>
    public static bool Apply(
        in StepCoefficients coefficients,
        Span<float> parameters,
        ReadOnlySpan<int> rows,
        ReadOnlySpan<float> gradients,
        int rowLength,
        Span<float> m,
        Span<float> s,
        Span<float> sMax,
        bool amsgrad,
        bool usesDenominator,
        bool guardNonFinite,
        ref bool writesFinite,
        KernelWidth width = KernelWidth.Auto,
        Span<int> rowCounts = default,
        RowCorrectionTable? corrections = null,
        double learningRate = 0)
    {
        var tensor = new SparseTensor(parameters, rows, gradients, rowLength, m, s, sMax, new RowCorrector(rowCounts, corrections, learningRate));
        (bool gradientsFinite, bool written) = (amsgrad, usesDenominator, guardNonFinite) switch
        {
            (false, true, false) => ApplyVariant<KernelVariants.Plain>(coefficients, tensor, width),
            (false, true, true) => ApplyVariant<KernelVariants.Guarded>(coefficients, tensor, width),
            (true, true, false) => ApplyVariant<KernelVariants.Ams>(coefficients, tensor, width),
            (true, true, true) => ApplyVariant<KernelVariants.AmsGuarded>(coefficients, tensor, width),
            (false, false, false) => ApplyVariant<KernelVariants.Momentum>(coefficients, tensor, width),
            (false, false, true) => ApplyVariant<KernelVariants.MomentumGuarded>(coefficients, tensor, width),
            (true, false, false) => ApplyVariant<KernelVariants.AmsMomentum>(coefficients, tensor, width),
            (true, false, true) => ApplyVariant<KernelVariants.AmsMomentumGuarded>(coefficients, tensor, width),
        };
        writesFinite &= written;
        return gradientsFinite;
    }

    private static (bool GradientsFinite, bool WritesFinite) ApplyVariant<TVariant>(in StepCoefficients c, in SparseTensor tensor, KernelWidth width)
        where TVariant : struct, IKernelVariant =>
        FitToRows(KernelWidthSelection.Resolve(width), tensor.RowLength) switch
        {
            KernelWidth.Vector512 => Dispatch<Width512, Vector512<float>, TVariant>(c, tensor),
            KernelWidth.Vector256 => Dispatch<Width256, Vector256<float>, TVariant>(c, tensor),
            KernelWidth.Vector128 => Dispatch<Width128, Vector128<float>, TVariant>(c, tensor),
            _ => AlongRows<ScalarWidth, float, TVariant>(c, tensor),
        };

    /// <summary>
    /// The widest width up to <paramref name="width"/> whose register a row of <paramref name="rowLength"/> floats fills
    /// at least once (rows of one float run across indices at the full width): ten class weights take a 256-bit
    /// register and an overlapping one rather than ten scalar updates.
    /// </summary>
    private static KernelWidth FitToRows(KernelWidth width, int rowLength)
    {
        if (rowLength == 1)
            return width;
        if (width == KernelWidth.Vector512 && rowLength < Vector512<float>.Count)
            width = KernelWidth.Vector256;
        if (width == KernelWidth.Vector256 && rowLength < Vector256<float>.Count)
            width = KernelWidth.Vector128;
        if (width == KernelWidth.Vector128 && rowLength < Vector128<float>.Count)
            width = KernelWidth.Scalar;
        return width;
    }

    private static (bool GradientsFinite, bool WritesFinite) Dispatch<TWidth, TVector, TVariant>(in StepCoefficients c, in SparseTensor tensor)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant =>
        tensor.RowLength == 1
            ? AcrossIndices<TWidth, TVector, TVariant>(c, tensor)
            : AlongRows<TWidth, TVector, TVariant>(c, tensor);

    /// <summary>
    /// Each named row in turn, registers along the row (the row is at least one register long). A row that is not a
    /// whole number of registers ends with a register that overlaps the one before it: computed from the old values
    /// before any register of the row is stored, it gives the overlapped coordinates the very bits the register before
    /// stores for them, and the row needs no scalar tail (a scalar division and square root per leftover coordinate).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (bool GradientsFinite, bool WritesFinite) AlongRows<TWidth, TVector, TVariant>(in StepCoefficients c, in SparseTensor tensor)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        ref float p = ref MemoryMarshal.GetReference(tensor.Parameters);
        ref float g = ref MemoryMarshal.GetReference(tensor.Gradients);
        ref float mr = ref MemoryMarshal.GetReference(tensor.M);
        ref float sr = ref MemoryMarshal.GetReference(tensor.S);
        ref float xr = ref MemoryMarshal.GetReference(tensor.SMax);
        ref int index = ref MemoryMarshal.GetReference(tensor.Rows);
        nuint rowLength = (nuint)tensor.RowLength;
        nuint width = (nuint)TWidth.Count;
        nuint vectorEnd = rowLength - (rowLength % width);
        bool ragged = vectorEnd != rowLength;
        nuint lastStart = rowLength - width;
        var vector = new AdaBeliefKernel.Constants<TWidth, TVector>(c);
        bool allFinite = true;
        TVector written = TWidth.Splat(0f);

        bool perRow = tensor.Corrector.IsPerRow;
        int rowCount = tensor.Rows.Length;
        for (int r = 0; r < rowCount; r++)
        {
            int row = Unsafe.Add(ref index, r);
            if (r + RowPrefetchDistance < rowCount)
            {
                int ahead = Unsafe.Add(ref index, r + RowPrefetchDistance);
                nuint aheadOffset = (nuint)ahead * rowLength;
                CachePrefetch.Range(ref Unsafe.Add(ref p, aheadOffset), rowLength);
                CachePrefetch.Range(ref Unsafe.Add(ref mr, aheadOffset), rowLength);
                CachePrefetch.Range(ref Unsafe.Add(ref sr, aheadOffset), rowLength);
                if (perRow)
                    tensor.Corrector.Prefetch(ahead);
            }

            if (perRow)
            {
                var (a, b, scale) = tensor.Corrector.Advance(row);
                vector.SetRowWeights(TWidth.Splat(a), TWidth.Splat(b), TWidth.Splat(scale));
            }

            nuint offset = (nuint)row * rowLength;
            ref float rowP = ref Unsafe.Add(ref p, offset);
            ref float rowM = ref Unsafe.Add(ref mr, offset);
            ref float rowS = ref Unsafe.Add(ref sr, offset);
            ref float rowX = ref TVariant.Amsgrad ? ref Unsafe.Add(ref xr, offset) : ref xr;
            ref float rowG = ref Unsafe.Add(ref g, (nuint)r * rowLength);
            if (ragged)
            {
                var last = AdaBeliefKernel.Compute<TWidth, TVector, TVariant>(vector, ref rowP, ref rowG, ref rowM, ref rowS, ref rowX, lastStart);
                for (nuint i = 0; i < vectorEnd; i += width)
                    allFinite &= UpdateAndNote<TWidth, TVector, TVariant>(vector, ref rowP, ref rowG, ref rowM, ref rowS, ref rowX, i, ref written);
                AdaBeliefKernel.Store<TWidth, TVector, TVariant>(last, ref rowP, ref rowM, ref rowS, ref rowX, lastStart);
                written = Note<TWidth, TVector>(last, written);
                allFinite &= last.Finite;
            }
            else
            {
                for (nuint i = 0; i < vectorEnd; i += width)
                    allFinite &= UpdateAndNote<TWidth, TVector, TVariant>(vector, ref rowP, ref rowG, ref rowM, ref rowS, ref rowX, i, ref written);
            }
        }

        return (allFinite, TWidth.AllSet(TWidth.FiniteMask(written)));

    }

    /// <summary>
    /// <see cref="AdaBeliefKernel.Update"/> that also notes the register's new values in <paramref name="written"/>
    /// (see <see cref="Note"/>); returns false if one of its gradients was not finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool UpdateAndNote<TWidth, TVector, TVariant>(
        in AdaBeliefKernel.Constants<TWidth, TVector> k, ref float p, ref float g, ref float m, ref float s, ref float sMax, nuint i, ref TVector written)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        var updated = AdaBeliefKernel.Compute<TWidth, TVector, TVariant>(k, ref p, ref g, ref m, ref s, ref sMax, i);
        AdaBeliefKernel.Store<TWidth, TVector, TVariant>(updated, ref p, ref m, ref s, ref sMax, i);
        written = Note<TWidth, TVector>(updated, written);
        return updated.Finite;
    }

    /// <summary>
    /// Adds (x − x) for the register's new parameters and second moments to <paramref name="written"/>: 0 for finite
    /// values, NaN for ±∞ or NaN, and NaN stays; so one finiteness test at the end covers every value written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Note<TWidth, TVector>(in AdaBeliefKernel.UpdatedRegister<TVector> updated, TVector written)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct =>
        TWidth.Add(written, TWidth.Add(TWidth.Subtract(updated.Parameter, updated.Parameter), TWidth.Subtract(updated.SecondMoment, updated.SecondMoment)));

    /// <summary>
    /// Rows of one float: a register's worth of indices at a time is gathered into a buffer on the stack, updated as
    /// one register, and scattered back; the indices that do not fill a register are updated at scalar width in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (bool GradientsFinite, bool WritesFinite) AcrossIndices<TWidth, TVector, TVariant>(in StepCoefficients c, in SparseTensor tensor)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
        where TVariant : struct, IKernelVariant
    {
        ref float p = ref MemoryMarshal.GetReference(tensor.Parameters);
        ref float g = ref MemoryMarshal.GetReference(tensor.Gradients);
        ref float mr = ref MemoryMarshal.GetReference(tensor.M);
        ref float sr = ref MemoryMarshal.GetReference(tensor.S);
        ref float xr = ref MemoryMarshal.GetReference(tensor.SMax);
        ref int index = ref MemoryMarshal.GetReference(tensor.Rows);
        nuint count = (nuint)tensor.Rows.Length;
        nuint width = (nuint)TWidth.Count;
        nuint i = 0;
        bool allFinite = true;
        TVector written = TWidth.Splat(0f);
        float writtenScalar = 0f;

        if (count >= width)
        {
            // Four gathered registers (parameters, first and second moment, running maximum) side by side, and with
            // per-row counts three more: each lane's own bias-corrected weights.
            Span<float> buffer = stackalloc float[7 * Vector512<float>.Count];
            ref float bp = ref MemoryMarshal.GetReference(buffer);
            ref float bm = ref Unsafe.Add(ref bp, width);
            ref float bs = ref Unsafe.Add(ref bp, 2 * width);
            ref float bx = ref Unsafe.Add(ref bp, 3 * width);
            ref float ba = ref Unsafe.Add(ref bp, 4 * width);
            ref float bb = ref Unsafe.Add(ref bp, 5 * width);
            ref float bc = ref Unsafe.Add(ref bp, 6 * width);
            var vector = new AdaBeliefKernel.Constants<TWidth, TVector>(c);
            bool perRow = tensor.Corrector.IsPerRow;
            nuint vectorEnd = count - (count % width);
            for (; i < vectorEnd; i += width)
            {
                ref int group = ref Unsafe.Add(ref index, i);
                if (i + (2 * width) <= count)
                {
                    // The next register's coordinates, scattered like these: their loads overlap this register's update.
                    ref int next = ref Unsafe.Add(ref group, width);
                    for (nuint lane = 0; lane < width; lane++)
                    {
                        int row = Unsafe.Add(ref next, lane);
                        CachePrefetch.Line(ref Unsafe.Add(ref p, (nuint)row));
                        CachePrefetch.Line(ref Unsafe.Add(ref mr, (nuint)row));
                        CachePrefetch.Line(ref Unsafe.Add(ref sr, (nuint)row));
                        if (perRow)
                            tensor.Corrector.Prefetch(row);
                    }
                }

                for (nuint lane = 0; lane < width; lane++)
                {
                    nuint at = (nuint)Unsafe.Add(ref group, lane);
                    Unsafe.Add(ref bp, lane) = Unsafe.Add(ref p, at);
                    Unsafe.Add(ref bm, lane) = Unsafe.Add(ref mr, at);
                    Unsafe.Add(ref bs, lane) = Unsafe.Add(ref sr, at);
                    if (TVariant.Amsgrad)
                        Unsafe.Add(ref bx, lane) = Unsafe.Add(ref xr, at);
                }

                if (perRow)
                {
                    // A loop of its own: with the gathers above in the same loop, its running values no longer fit the
                    // registers.
                    tensor.Corrector.AdvanceLanes(ref group, width, ref ba, ref bb, ref bc);
                    vector.SetRowWeights(TWidth.Load(ref ba, 0), TWidth.Load(ref bb, 0), TWidth.Load(ref bc, 0));
                }
                allFinite &= UpdateAndNote<TWidth, TVector, TVariant>(vector, ref bp, ref Unsafe.Add(ref g, i), ref bm, ref bs, ref bx, 0, ref written);

                for (nuint lane = 0; lane < width; lane++)
                {
                    nuint at = (nuint)Unsafe.Add(ref group, lane);
                    Unsafe.Add(ref p, at) = Unsafe.Add(ref bp, lane);
                    Unsafe.Add(ref mr, at) = Unsafe.Add(ref bm, lane);
                    Unsafe.Add(ref sr, at) = Unsafe.Add(ref bs, lane);
                    if (TVariant.Amsgrad)
                        Unsafe.Add(ref xr, at) = Unsafe.Add(ref bx, lane);
                }
            }
        }

        if (i < count)
        {
            var scalar = new AdaBeliefKernel.Constants<ScalarWidth, float>(c);
            for (; i < count; i++)
            {
                int row = Unsafe.Add(ref index, i);
                nuint at = (nuint)row;
                if (tensor.Corrector.IsPerRow)
                {
                    var (a, b, scale) = tensor.Corrector.Advance(row);
                    scalar.SetRowWeights(a, b, scale);
                }

                ref float x = ref TVariant.Amsgrad ? ref Unsafe.Add(ref xr, at) : ref xr;
                allFinite &= UpdateAndNote<ScalarWidth, float, TVariant>(
                    scalar, ref Unsafe.Add(ref p, at), ref Unsafe.Add(ref g, i), ref Unsafe.Add(ref mr, at), ref Unsafe.Add(ref sr, at), ref x, 0, ref writtenScalar);
            }
        }

        return (allFinite, TWidth.AllSet(TWidth.FiniteMask(written)) && float.IsFinite(writtenScalar));
    }

    /// <summary>The spans of one lazy step, passed down the dispatch as one argument.</summary>
    private readonly ref struct SparseTensor(
        Span<float> parameters, ReadOnlySpan<int> rows, ReadOnlySpan<float> gradients, int rowLength, Span<float> m, Span<float> s, Span<float> sMax, RowCorrector corrector)
    {
        public readonly RowCorrector Corrector = corrector;
        public readonly Span<float> Parameters = parameters;
        public readonly ReadOnlySpan<int> Rows = rows;
        public readonly ReadOnlySpan<float> Gradients = gradients;
        public readonly int RowLength = rowLength;
        public readonly Span<float> M = m;
        public readonly Span<float> S = s;
        public readonly Span<float> SMax = sMax;
    }

    /// <summary>
    /// Each row's own bias correction under <see cref="SparseStepCount.PerRow"/>: advances the row's count and returns
    /// α·A, α·B and C for it, rounded as <see cref="StepCoefficientsFactory.Compute"/> rounds the dense step's.
    /// </summary>
    private readonly ref struct RowCorrector(Span<int> counts, RowCorrectionTable? table, double learningRate)
    {
        private readonly Span<int> _counts = counts;
        private readonly double _learningRate = learningRate;
        private readonly ReadOnlySpan<RowCorrectionTable.Entry> _entries = table is null ? default : table.Entries;
        private readonly int _lastCount = table?.LastCount ?? 0;

        public bool IsPerRow => !_counts.IsEmpty;

        /// <summary>Starts loading the row's count, a few rows before <see cref="Advance"/> reads it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(int row) => CachePrefetch.Line(ref Unsafe.Add(ref MemoryMarshal.GetReference(_counts), row));

        /// <remarks>
        /// The row was checked to be in range by the caller, and the advanced count, clamped to the table's last entry,
        /// is covered by the table; the count stops at <see cref="int.MaxValue"/> without a branch.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (float MomentumWeight, float GradientWeight, float SecondMomentScale) Advance(int row)
        {
            ref RowCorrectionTable.Entry entry = ref AdvanceCount(ref Unsafe.Add(ref MemoryMarshal.GetReference(_counts), row), ref MemoryMarshal.GetReference(_entries), _lastCount);
            return ((float)(_learningRate * entry.MomentumWeight), (float)(_learningRate * entry.GradientWeight), entry.SecondMomentScale);
        }

        /// <summary>
        /// <see cref="Advance"/> for the <paramref name="lanes"/> rows from <paramref name="rows"/> on, each lane's three
        /// weights written to its place in <paramref name="momentumWeights"/>, <paramref name="gradientWeights"/> and
        /// <paramref name="secondMomentScales"/>.
        /// </summary>
        /// <remarks>
        /// The table, the counts, the last count and the rate are read into locals once: read through the struct for
        /// every lane, as <see cref="Advance"/> in a loop is compiled, the stores to the counts and buffers make the JIT
        /// load them again each time (a third of the lazy step's time on rows of one float).
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AdvanceLanes(ref int rows, nuint lanes, ref float momentumWeights, ref float gradientWeights, ref float secondMomentScales)
        {
            ref int counts = ref MemoryMarshal.GetReference(_counts);
            ref RowCorrectionTable.Entry entries = ref MemoryMarshal.GetReference(_entries);
            int lastCount = _lastCount;
            double learningRate = _learningRate;
            for (nuint lane = 0; lane < lanes; lane++)
            {
                ref RowCorrectionTable.Entry entry = ref AdvanceCount(ref Unsafe.Add(ref counts, Unsafe.Add(ref rows, lane)), ref entries, lastCount);
                Unsafe.Add(ref momentumWeights, lane) = (float)(learningRate * entry.MomentumWeight);
                Unsafe.Add(ref gradientWeights, lane) = (float)(learningRate * entry.GradientWeight);
                Unsafe.Add(ref secondMomentScales, lane) = entry.SecondMomentScale;
            }
        }

        /// <summary>Advances a row's count by one, stopping at <see cref="int.MaxValue"/> without a branch, and returns the entry of the advanced count clamped to the last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ref RowCorrectionTable.Entry AdvanceCount(ref int count, ref RowCorrectionTable.Entry entries, int lastCount)
        {
            int advanced = count + (int)((uint)(count - int.MaxValue) >> 31); // +1 below int.MaxValue
            count = advanced;
            return ref Unsafe.Add(ref entries, Math.Min(advanced, lastCount));
        }
    }
}
