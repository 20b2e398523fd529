using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The dot product and scaled add the losses apply to dense rows: the vector loops and their scalar tails agree with a
/// plain reference at every length around the register widths.
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
