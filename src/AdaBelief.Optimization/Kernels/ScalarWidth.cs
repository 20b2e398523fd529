using System.Runtime.CompilerServices;

namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// One float per "register": the kernel's tail, and its only path where no SIMD width is accelerated.
/// A mask is a float whose bits are all set (a NaN) or all clear (+0).
/// </summary>
internal readonly struct ScalarWidth : ISimdWidth<float>
{
    private static readonly float AllBits = BitConverter.Int32BitsToSingle(-1);

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Splat(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float left, float right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float left, float right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float left, float right, float addend) => MathF.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float left, float right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float value) => MathF.Sqrt(value);

    // The kernel only clamps finite values, where every min/max convention agrees.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float left, float right) => left < right ? left : right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float left, float right) => left > right ? left : right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FiniteMask(float value) => float.IsFinite(value) ? AllBits : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllSet(float mask) => BitConverter.SingleToInt32Bits(mask) == -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(float mask, float ifSet, float ifClear) =>
        BitConverter.SingleToInt32Bits(mask) != 0 ? ifSet : ifClear;
}
