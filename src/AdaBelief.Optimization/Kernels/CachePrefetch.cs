using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// Hints that a run of values will be read soon, so that the loads of scattered rows (a lazy step's present features,
/// a shuffled row of a store) overlap with the work on the rows before them instead of waiting one after another.
/// </summary>
/// <remarks>
/// A prefetch never faults and changes no value, so an address that the garbage collector has since moved costs a
/// wasted load at worst; on hardware without the instruction the hint does nothing.
/// </remarks>
internal static class CachePrefetch
{
    /// <summary>Starts loading the cache lines that hold <paramref name="count"/> elements from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Range<T>(ref T first, nuint count)
        where T : unmanaged
    {
        if (!Sse.IsSupported || count == 0)
            return;
        byte* start = (byte*)Unsafe.AsPointer(ref first);
        byte* last = start + (count * (nuint)sizeof(T)) - 1;
        for (byte* line = start; line <= last; line += 64)
            Sse.Prefetch0(line);
        Sse.Prefetch0(last);
    }

    /// <summary>Starts loading the cache line that holds <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T value)
        where T : unmanaged
    {
        if (Sse.IsSupported)
            Sse.Prefetch0(Unsafe.AsPointer(ref value));
    }
}
