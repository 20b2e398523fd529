namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// The arithmetic one kernel needs, for one register width. The update kernel is written once against this
/// interface; a struct per width (512, 256, 128 bits and a scalar) supplies the operations, and the JIT compiles a
/// separate, fully inlined copy of the kernel for each. Every operation rounds exactly once (fused multiply-add
/// included), so all widths produce bitwise identical results.
/// </summary>
/// <typeparam name="TVector">The register type: <see cref="System.Runtime.Intrinsics.Vector512{T}"/> of float, …, or float.</typeparam>
internal interface ISimdWidth<TVector>
    where TVector : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(ref float source, nuint index);

    static abstract void Store(TVector value, ref float destination, nuint index);

    static abstract TVector Splat(float value);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>left × right + addend with a single rounding.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    static abstract TVector Divide(TVector left, TVector right);

    static abstract TVector Sqrt(TVector value);

    static abstract TVector Min(TVector left, TVector right);

    static abstract TVector Max(TVector left, TVector right);

    /// <summary>All bits set in lanes where <paramref name="value"/> is finite, clear elsewhere.</summary>
    static abstract TVector FiniteMask(TVector value);

    /// <summary>Whether every lane of <paramref name="mask"/> is set.</summary>
    static abstract bool AllSet(TVector mask);

    /// <summary>The sum of the lanes, in an order fixed for the width: unlike the lane-wise operations, its bits depend on the width.</summary>
    static abstract float Sum(TVector value);

    /// <summary>Lanes of <paramref name="ifSet"/> where <paramref name="mask"/> is set, of <paramref name="ifClear"/> elsewhere.</summary>
    static abstract TVector Select(TVector mask, TVector ifSet, TVector ifClear);
}
