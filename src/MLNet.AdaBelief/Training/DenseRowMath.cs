using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The vector operations the losses apply to every dense row: its dot product with the weights (or with each class's
/// weights), and adding a multiple of it to the gradient.
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

    /// <summary>
    /// products[k] = Σⱼ matrix[k·F + j]·x[j] for each of the K = products.Length rows of a row-major K × F matrix, F =
    /// x.Length: the K scores of a multiclass model on one row.
    /// </summary>
    /// <remarks>
    /// Four rows at a time share each load of <paramref name="x"/> and keep four independent chains of multiply-adds in
    /// flight, in the widest register F fills; each row's sum is its register's lanes added, then the last F mod width
    /// elements one by one. K separate dot products would load x K times and wait on one chain each (a dense 10-class
    /// epoch spent most of its time there). The order of the additions depends only on F and the register width.
    /// </remarks>
    /// <exception cref="ArgumentException">The matrix does not have K × F elements.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyRows(ReadOnlySpan<float> matrix, ReadOnlySpan<float> x, Span<float> products)
    {
        if (matrix.Length != products.Length * x.Length)
            throw LengthMismatch(matrix.Length, products.Length * x.Length, nameof(matrix));
        ref float m = ref MemoryMarshal.GetReference(matrix);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float p = ref MemoryMarshal.GetReference(products);
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
            MultiplyRowsInRegisters<Width512, Vector512<float>>(ref m, ref xr, ref p, x.Length, products.Length);
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
            MultiplyRowsInRegisters<Width256, Vector256<float>>(ref m, ref xr, ref p, x.Length, products.Length);
        else
            MultiplyRowsInRegisters<ScalarWidth, float>(ref m, ref xr, ref p, x.Length, products.Length);
    }

    /// <summary><see cref="MultiplyRows"/> in one register width: four matrix rows at a time, then one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyRowsInRegisters<TWidth, TVector>(ref float matrix, ref float x, ref float products, int length, int rows)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        nuint width = (nuint)TWidth.Count;
        nuint whole = (nuint)length / width * width;
        int k = 0;
        for (; k <= rows - 4; k += 4)
        {
            var four = new FourRows(ref matrix, k, length);
            ref float row0 = ref four.Row0, row1 = ref four.Row1, row2 = ref four.Row2, row3 = ref four.Row3;
            TVector sum0 = TWidth.Splat(0f), sum1 = sum0, sum2 = sum0, sum3 = sum0;
            for (nuint i = 0; i < whole; i += width)
            {
                TVector xi = TWidth.Load(ref x, i);
                sum0 = TWidth.MultiplyAdd(xi, TWidth.Load(ref row0, i), sum0);
                sum1 = TWidth.MultiplyAdd(xi, TWidth.Load(ref row1, i), sum1);
                sum2 = TWidth.MultiplyAdd(xi, TWidth.Load(ref row2, i), sum2);
                sum3 = TWidth.MultiplyAdd(xi, TWidth.Load(ref row3, i), sum3);
            }

            Unsafe.Add(ref products, k) = SumWithTail<TWidth, TVector>(sum0, ref x, ref row0, whole, length);
            Unsafe.Add(ref products, k + 1) = SumWithTail<TWidth, TVector>(sum1, ref x, ref row1, whole, length);
            Unsafe.Add(ref products, k + 2) = SumWithTail<TWidth, TVector>(sum2, ref x, ref row2, whole, length);
            Unsafe.Add(ref products, k + 3) = SumWithTail<TWidth, TVector>(sum3, ref x, ref row3, whole, length);
        }

        for (; k < rows; k++)
        {
            ref float row = ref Unsafe.Add(ref matrix, (nint)k * length);
            TVector sum = TWidth.Splat(0f);
            for (nuint i = 0; i < whole; i += width)
                sum = TWidth.MultiplyAdd(TWidth.Load(ref x, i), TWidth.Load(ref row, i), sum);
            Unsafe.Add(ref products, k) = SumWithTail<TWidth, TVector>(sum, ref x, ref row, whole, length);
        }
    }

    /// <summary>The lanes of <paramref name="sum"/> added, plus x[j]·row[j] for j from <paramref name="whole"/> to the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumWithTail<TWidth, TVector>(TVector sum, ref float x, ref float row, nuint whole, int length)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        float total = TWidth.Sum(sum);
        for (nuint j = whole; j < (nuint)length; j++)
            total = float.MultiplyAddEstimate(Unsafe.Add(ref x, j), Unsafe.Add(ref row, j), total);
        return total;
    }

    /// <summary>
    /// matrix[k·F + j] += Σᵢ coefficients[i·K + k] · x_{rows[i]}[j] for every class k &lt; K and feature j &lt; F, the
    /// rows added in order, each by one fused multiply-add: the gradient of a K-output model on a chunk of dense rows,
    /// with x_r the r-th row of <paramref name="rowValues"/> (F = <paramref name="features"/>).
    /// </summary>
    /// <remarks>
    /// Each register of four classes' gradient rows is loaded once, takes every row of the chunk, and is stored once,
    /// where adding each row to each class one after the other (<see cref="AddScaled"/>) loads and stores the gradient
    /// once per row; the rows, a few kilobytes, stay in the first-level cache. An element gets the same operations in
    /// the same order either way, so the bits are those of row-by-row <see cref="AddScaled"/> calls. When F is not a
    /// whole number of registers the last register overlaps the one before; it is computed first, from the old
    /// gradient, and stored last, so the overlapped elements get the same bits from both.
    /// </remarks>
    /// <exception cref="ArgumentException">The coefficients or the matrix do not match the rows, classes and features.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddRowProducts(ReadOnlySpan<float> rowValues, int features, ReadOnlySpan<int> rows, ReadOnlySpan<float> coefficients, Span<float> matrix)
    {
        if (rows.IsEmpty)
            return;
        int classes = coefficients.Length / rows.Length;
        if (coefficients.Length != rows.Length * classes)
            throw LengthMismatch(coefficients.Length, rows.Length * classes, nameof(coefficients));
        if (matrix.Length != classes * features)
            throw LengthMismatch(matrix.Length, classes * features, nameof(matrix));
        if (features == 0)
            return;
        foreach (int row in rows)
        {
            if ((long)row * features >= rowValues.Length || row < 0)
                throw new ArgumentOutOfRangeException(nameof(rows), row, "A row index is past the end of the rows.");
        }

        ref float values = ref MemoryMarshal.GetReference(rowValues);
        ref float c = ref MemoryMarshal.GetReference(coefficients);
        ref float m = ref MemoryMarshal.GetReference(matrix);
        if (Vector512.IsHardwareAccelerated && features >= Vector512<float>.Count)
            AddRowProductsInRegisters<Width512, Vector512<float>>(ref values, features, rows, ref c, ref m, classes);
        else if (Vector256.IsHardwareAccelerated && features >= Vector256<float>.Count)
            AddRowProductsInRegisters<Width256, Vector256<float>>(ref values, features, rows, ref c, ref m, classes);
        else
            AddRowProductsInRegisters<ScalarWidth, float>(ref values, features, rows, ref c, ref m, classes);
    }

    /// <summary><see cref="AddRowProducts"/> in one register width: four classes at a time, then one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowProductsInRegisters<TWidth, TVector>(ref float values, int features, ReadOnlySpan<int> rows, ref float coefficients, ref float matrix, int classes)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        nuint last = (nuint)(features - TWidth.Count);
        int k = 0;
        for (; k <= classes - 4; k += 4)
        {
            var four = new FourRows(ref matrix, k, features);
            ref float class0 = ref four.Row0, class1 = ref four.Row1, class2 = ref four.Row2, class3 = ref four.Row3;
            ref float classCoefficients = ref Unsafe.Add(ref coefficients, k);
            (TVector last0, TVector last1, TVector last2, TVector last3) =
                AddRowsToFour<TWidth, TVector>(ref values, features, rows, ref classCoefficients, classes, ref class0, ref class1, ref class2, ref class3, last);
            for (nuint j = 0; j < last; j += (nuint)TWidth.Count)
            {
                (TVector sum0, TVector sum1, TVector sum2, TVector sum3) =
                    AddRowsToFour<TWidth, TVector>(ref values, features, rows, ref classCoefficients, classes, ref class0, ref class1, ref class2, ref class3, j);
                TWidth.Store(sum0, ref class0, j);
                TWidth.Store(sum1, ref class1, j);
                TWidth.Store(sum2, ref class2, j);
                TWidth.Store(sum3, ref class3, j);
            }

            TWidth.Store(last0, ref class0, last);
            TWidth.Store(last1, ref class1, last);
            TWidth.Store(last2, ref class2, last);
            TWidth.Store(last3, ref class3, last);
        }

        for (; k < classes; k++)
        {
            ref float gradient = ref Unsafe.Add(ref matrix, (nint)k * features);
            ref float classCoefficients = ref Unsafe.Add(ref coefficients, k);
            TVector lastSum = AddRowsToOne<TWidth, TVector>(ref values, features, rows, ref classCoefficients, classes, ref gradient, last);
            for (nuint j = 0; j < last; j += (nuint)TWidth.Count)
                TWidth.Store(AddRowsToOne<TWidth, TVector>(ref values, features, rows, ref classCoefficients, classes, ref gradient, j), ref gradient, j);
            TWidth.Store(lastSum, ref gradient, last);
        }
    }

    /// <summary>Four classes' gradient registers at element <paramref name="j"/> plus every row's contribution, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector, TVector, TVector, TVector) AddRowsToFour<TWidth, TVector>(
        ref float values, int features, ReadOnlySpan<int> rows, ref float coefficients, int classes, ref float class0, ref float class1, ref float class2, ref float class3, nuint j)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        TVector sum0 = TWidth.Load(ref class0, j), sum1 = TWidth.Load(ref class1, j), sum2 = TWidth.Load(ref class2, j), sum3 = TWidth.Load(ref class3, j);
        for (int i = 0; i < rows.Length; i++)
        {
            TVector x = TWidth.Load(ref Unsafe.Add(ref values, (nint)rows[i] * features), j);
            ref float rowCoefficients = ref Unsafe.Add(ref coefficients, (nint)i * classes);
            sum0 = TWidth.MultiplyAdd(x, TWidth.Splat(rowCoefficients), sum0);
            sum1 = TWidth.MultiplyAdd(x, TWidth.Splat(Unsafe.Add(ref rowCoefficients, 1)), sum1);
            sum2 = TWidth.MultiplyAdd(x, TWidth.Splat(Unsafe.Add(ref rowCoefficients, 2)), sum2);
            sum3 = TWidth.MultiplyAdd(x, TWidth.Splat(Unsafe.Add(ref rowCoefficients, 3)), sum3);
        }

        return (sum0, sum1, sum2, sum3);
    }

    /// <summary>One class's gradient register at element <paramref name="j"/> plus every row's contribution, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector AddRowsToOne<TWidth, TVector>(ref float values, int features, ReadOnlySpan<int> rows, ref float coefficients, int classes, ref float gradient, nuint j)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        TVector sum = TWidth.Load(ref gradient, j);
        for (int i = 0; i < rows.Length; i++)
            sum = TWidth.MultiplyAdd(TWidth.Load(ref Unsafe.Add(ref values, (nint)rows[i] * features), j), TWidth.Splat(Unsafe.Add(ref coefficients, (nint)i * classes)), sum);
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

    /// <summary>Rows <c>first</c> to <c>first + 3</c> of a row-major matrix of rows of <c>length</c> floats.</summary>
    private readonly ref struct FourRows
    {
        public readonly ref float Row0, Row1, Row2, Row3;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public FourRows(ref float matrix, int first, int length)
        {
            Row0 = ref Unsafe.Add(ref matrix, (nint)first * length);
            Row1 = ref Unsafe.Add(ref Row0, length);
            Row2 = ref Unsafe.Add(ref Row1, length);
            Row3 = ref Unsafe.Add(ref Row2, length);
        }
    }

    // Builds the message out of line, so the inlined callers keep only the comparison.
    private static ArgumentException LengthMismatch(int length, int otherLength, string name) =>
        new($"The spans have {length} and {otherLength} elements; they must have the same length.", name);
}
