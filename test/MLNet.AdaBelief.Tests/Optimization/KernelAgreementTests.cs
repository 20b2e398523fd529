using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The fused SIMD update against the plain scalar reference, for every length 0-130 and large odd lengths, every
/// option combination and every register width; and the widths against each other, bit for bit.
/// </summary>
[TestClass]
public sealed class KernelAgreementTests
{
    private const int Steps = 8; // past the rectifier's early momentum steps with β₂ = 0.9
    private static readonly KernelWidth[] Widths = [KernelWidth.Vector512, KernelWidth.Vector256, KernelWidth.Vector128, KernelWidth.Scalar];

    [TestMethod]
    public void EveryLengthEveryOptionEveryWidth_AgreesWithScalarReference()
    {
        var lengths = Enumerable.Range(0, 131).Concat([1_023, 4_099]).ToArray();
        foreach (AdaBeliefOptions options in OptionCombinations.All())
        {
            options.Beta2 = 0.9;
            foreach (int n in lengths)
                CheckAgreement(options, n, seed: n);
        }
    }

    [TestMethod]
    public void LargeOddLength_AgreesWithScalarReference()
    {
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where((_, i) => i % 9 == 0))
            CheckAgreement(options, 100_003, seed: 7);
    }

    [TestMethod]
    public void DefaultOptions_AgreeWithScalarReference()
    {
        foreach (int n in new[] { 0, 1, 15, 16, 17, 33, 130, 10_007 })
            CheckAgreement(new AdaBeliefOptions(), n, seed: 3);
    }

    private static void CheckAgreement(AdaBeliefOptions options, int n, int seed)
    {
        var random = new Random(seed);
        float[] start = RandomArray(random, n, 1f);
        float[][] gradients = Enumerable.Range(0, Steps).Select(_ => RandomGradient(random, n)).ToArray();

        float[] reference = (float[])start.Clone();
        var scalar = new ScalarReferenceAdaBelief(n, options);
        foreach (float[] g in gradients)
            scalar.Step(reference, g, (float)options.LearningRate.GetLearningRate(0));

        float[]? firstWidth = null;
        AdaBeliefState? firstState = null;
        foreach (KernelWidth width in Widths)
        {
            float[] p = (float[])start.Clone();
            var optimizer = new AdaBeliefOptimizer(n, options) { Width = width };
            foreach (float[] g in gradients)
                Assert.IsTrue(optimizer.Step(p, g));

            for (int i = 0; i < n; i++)
            {
                float tolerance = 4e-6f * Math.Max(1f, Math.Abs(reference[i]));
                if (Math.Abs(p[i] - reference[i]) > tolerance)
                {
                    Assert.Fail($"n={n} width={width} i={i}: {p[i]:R} vs reference {reference[i]:R} ({OptionCombinations.Describe(options)})");
                }
            }

            AdaBeliefState state = optimizer.ExportState();
            if (firstWidth is null)
            {
                firstWidth = p;
                firstState = state;
                continue;
            }

            // Every width rounds each operation once, in the same order: results are identical, not just close.
            CollectionAssert.AreEqual(firstWidth, p, $"width {width} differs from {Widths[0]} at n={n}");
            CollectionAssert.AreEqual(firstState!.FirstMoment.ToArray(), state.FirstMoment.ToArray());
            CollectionAssert.AreEqual(firstState.SecondMoment.ToArray(), state.SecondMoment.ToArray());
        }
    }

    internal static float[] RandomArray(Random random, int n, float scale)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }

    /// <summary>Gradients with a spread of magnitudes, exact zeros and a few large values that clipping must catch.</summary>
    internal static float[] RandomGradient(Random random, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            values[i] = u switch
            {
                < 0.05 => 0f,
                < 0.10 => (float)((random.NextDouble() * 2 - 1) * 50),
                _ => (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-4, 1))),
            };
        }

        return values;
    }
}
