using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The two vector operations the losses apply to every dense row: its dot product with the weights, and adding a
/// multiple of it to the gradient.
/// </summary>
/// <remarks>
/// TensorPrimitives does both well once compiled at full optimization, but a method the runtime has just loaded starts
/// at its unoptimized tier and is promoted only after the tiering delay, which restarts whenever new code is compiled.
/// In a process that is still compiling ML.NET's code, that is most of the first epoch of a one-off Fit: on
/// 1,000,000 × 100 rows that epoch took 0.45-0.5 s in a fresh process against 0.08 s once warm. These inline into the
/// loss loops, which are optimized on their first call, so rows run at full speed from the first one.
/// </remarks>
internal static class DenseRowMath
{
    /// <summary>Σ xᵢyᵢ over two spans of equal length.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
            throw LengthMismatch(x.Length, y.Length, nameof(y));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int length = x.Length;
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            // Two accumulators, so consecutive multiply-adds do not wait on each other.
            int width = Vector<float>.Count;
            Vector<float> even = Vector<float>.Zero, odd = Vector<float>.Zero;
            for (; i <= length - (2 * width); i += 2 * width)
            {
                even = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xr, (nuint)i), Vector.LoadUnsafe(ref yr, (nuint)i), even);
                odd = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xr, (nuint)(i + width)), Vector.LoadUnsafe(ref yr, (nuint)(i + width)), odd);
            }

            if (i <= length - width)
            {
                even = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xr, (nuint)i), Vector.LoadUnsafe(ref yr, (nuint)i), even);
                i += width;
            }

            sum = Vector.Sum(even + odd);
        }

        for (; i < length; i++)
            sum = float.MultiplyAddEstimate(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), sum);
        return sum;
    }

    /// <summary>destination += scale · x, element by element, over two spans of equal length.</summary>
    /// <remarks>
    /// In the widest register the spans fill, the last one overlapping the register before it when the length is not
    /// a whole number of registers: it is computed from the old destination before anything is stored, so the
    /// overlapped elements get the bits the register before stores for them, and no element is left to a scalar tail
    /// (a row of 22 class weights is one 512-bit and one overlapping register, not two 256-bit ones and six scalars).
    /// Every element is one fused multiply-add whichever register holds it.
    /// </remarks>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ReadOnlySpan<float> x, float scale, Span<float> destination)
    {
        if (x.Length != destination.Length)
            throw LengthMismatch(x.Length, destination.Length, nameof(destination));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        int length = x.Length;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            AddScaledInRegisters<Width512, Vector512<float>>(ref xr, scale, ref dr, length);
            return;
        }

        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            AddScaledInRegisters<Width256, Vector256<float>>(ref xr, scale, ref dr, length);
            return;
        }

        for (int i = 0; i < length; i++)
            Unsafe.Add(ref dr, i) = float.MultiplyAddEstimate(Unsafe.Add(ref xr, i), scale, Unsafe.Add(ref dr, i));
    }

    /// <summary>
    /// <see cref="AddScaled"/> over at least one register: the last register, overlapping the one before it when the
    /// length is not a whole number of registers, computed from the old destination before anything is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledInRegisters<TWidth, TVector>(ref float x, float scale, ref float destination, int length)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        TVector factor = TWidth.Splat(scale);
        nuint last = (nuint)(length - TWidth.Count);
        TVector lastSum = TWidth.MultiplyAdd(TWidth.Load(ref x, last), factor, TWidth.Load(ref destination, last));
        for (nuint i = 0; i < last; i += (nuint)TWidth.Count)
            TWidth.Store(TWidth.MultiplyAdd(TWidth.Load(ref x, i), factor, TWidth.Load(ref destination, i)), ref destination, i);
        TWidth.Store(lastSum, ref destination, last);
    }

    // Builds the message out of line, so the inlined callers keep only the comparison.
    private static ArgumentException LengthMismatch(int length, int otherLength, string name) =>
        new($"The spans have {length} and {otherLength} elements; they must have the same length.", name);
}
