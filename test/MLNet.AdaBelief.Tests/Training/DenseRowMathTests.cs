using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The dot products and scaled adds the losses apply to dense rows: the vector loops and their scalar tails agree with a
/// plain reference at every length around the register widths, and for every class count around the blocks of four.
/// </summary>
[TestClass]
public sealed class DenseRowMathTests
{
    [TestMethod]
    public void Dot_AgreesWithADoubleReference_AtEveryLengthUpTo130()
    {
        var random = new Random(11);
        for (int length = 0; length <= 130; length++)
        {
            float[] x = Values(random, length);
            float[] y = Values(random, length);
            double exact = 0, magnitude = 0;
            for (int i = 0; i < length; i++)
            {
                exact += (double)x[i] * y[i];
                magnitude += Math.Abs((double)x[i] * y[i]);
            }

            // A float sum of n products is within about n·2⁻²⁴ of the sum of their magnitudes.
            double bound = (length + 1) * magnitude * Math.Pow(2, -24);
            Assert.AreEqual(exact, DenseRowMath.Dot(x, y), bound, $"length {length}");
        }
    }

    [TestMethod]
    public void AddScaled_AgreesWithTheScalarLoop_ElementByElement_AtEveryLengthUpTo130()
    {
        var random = new Random(12);
        for (int length = 0; length <= 130; length++)
        {
            float[] x = Values(random, length);
            float[] destination = Values(random, length);
            float[] expected = new float[length];
            for (int i = 0; i < length; i++)
                expected[i] = float.MultiplyAddEstimate(x[i], -0.37f, destination[i]);

            float[] before = (float[])x.Clone();
            DenseRowMath.AddScaled(x, -0.37f, destination);
            CollectionAssert.AreEqual(expected, destination, $"length {length}");
            CollectionAssert.AreEqual(before, x, "the row is only read");
        }
    }

    [TestMethod]
    public void MultiplyRows_AgreesWithADoubleReference_ForEveryClassCountAndLength()
    {
        var random = new Random(13);
        for (int classes = 1; classes <= 9; classes++)
        {
            for (int length = 0; length <= 70; length++)
            {
                float[] x = Values(random, length);
                float[] matrix = Values(random, classes * length);
                float[] before = (float[])matrix.Clone();
                float[] products = new float[classes];
                DenseRowMath.MultiplyRows(matrix, x, products);
                for (int k = 0; k < classes; k++)
                {
                    double exact = 0, magnitude = 0;
                    for (int j = 0; j < length; j++)
                    {
                        exact += (double)matrix[(k * length) + j] * x[j];
                        magnitude += Math.Abs((double)matrix[(k * length) + j] * x[j]);
                    }

                    double bound = (length + 1) * magnitude * Math.Pow(2, -24);
                    Assert.AreEqual(exact, products[k], bound, $"{classes} classes, length {length}, class {k}");
                }

                CollectionAssert.AreEqual(before, matrix, "the matrix is only read");
            }
        }
    }

    [TestMethod]
    public void AddRowProducts_GivesTheBitsOfRowByRowAddScaled_ForEveryClassCountAndLength()
    {
        var random = new Random(14);
        int[] rows = [3, 0, 5, 3, 1]; // out of order, one row twice
        for (int classes = 1; classes <= 9; classes++)
        {
            for (int length = 0; length <= 70; length++)
            {
                float[] rowValues = Values(random, 6 * length);
                float[] coefficients = Values(random, rows.Length * classes);
                coefficients[0] = 0f; // a row whose derivative vanishes still takes its (exact) turn
                float[] matrix = Values(random, classes * length);
                float[] expected = (float[])matrix.Clone();
                for (int i = 0; i < rows.Length; i++)
                {
                    for (int k = 0; k < classes; k++)
                        DenseRowMath.AddScaled(rowValues.AsSpan(rows[i] * length, length), coefficients[(i * classes) + k], expected.AsSpan(k * length, length));
                }

                DenseRowMath.AddRowProducts(rowValues, length, rows, coefficients, matrix);
                CollectionAssert.AreEqual(expected, matrix, $"{classes} classes, length {length}");
            }
        }
    }

    [TestMethod]
    public void TheClassKernelsRefuseMismatchedSizes()
    {
        Assert.ThrowsExactly<ArgumentException>(() => DenseRowMath.MultiplyRows(new float[29], new float[10], new float[3]));
        Assert.ThrowsExactly<ArgumentException>(() => DenseRowMath.AddRowProducts(new float[40], 10, [0, 1], new float[5], new float[30]));
        Assert.ThrowsExactly<ArgumentException>(() => DenseRowMath.AddRowProducts(new float[40], 10, [0, 1], new float[6], new float[29]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => DenseRowMath.AddRowProducts(new float[40], 10, [0, 4], new float[6], new float[30]));
    }

    [TestMethod]
    public void BothRefuseSpansOfDifferentLengths()
    {
        Assert.ThrowsExactly<ArgumentException>(() => DenseRowMath.Dot(new float[9], new float[8]));
        Assert.ThrowsExactly<ArgumentException>(() => DenseRowMath.AddScaled(new float[9], 1f, new float[10]));
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)));
        return values;
    }
}
