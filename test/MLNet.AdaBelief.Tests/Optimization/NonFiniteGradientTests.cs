using System.Globalization;
using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// Gradients holding NaN or ±∞: under the Throw policy the exception names the first bad element and no bad value
/// reaches the parameters or the state; under SkipStep the whole step is skipped as if it never happened. Large finite
/// gradients are not mistaken for bad ones.
/// </summary>
[TestClass]
public sealed class NonFiniteGradientTests
{
    private static readonly float[] BadValues = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
    private static readonly KernelWidth[] Widths = [KernelWidth.Auto, KernelWidth.Vector512, KernelWidth.Vector256, KernelWidth.Vector128, KernelWidth.Scalar];

    private static readonly AdaBeliefOptions[] FusedCheckOptions =
    [
        new AdaBeliefOptions { LearningRate = 0.01 },
        new AdaBeliefOptions { LearningRate = 0.01, Amsgrad = true, WeightDecay = 0.1, GradientClipValue = 0.2, Nesterov = true },
        new AdaBeliefOptions { LearningRate = 0.01, Rectify = true, Beta2 = 0.9, WeightDecay = 0.1, DecoupledWeightDecay = true },
    ];

    [TestMethod]
    public void NonFiniteElement_ThrowsNamingItAndUpdatesOnlyFiniteElements()
    {
        int[] lengths = [1, 3, 4, 7, 8, 9, 16, 17, 31, 32, 45, 67];
        foreach (AdaBeliefOptions options in FusedCheckOptions)
        {
            foreach (KernelWidth width in Widths)
            {
                foreach (int n in lengths)
                {
                    foreach (int k in InterestingIndices(n))
                    {
                        foreach (float bad in BadValues)
                            CheckFusedThrow(options, width, n, k, bad);
                    }
                }
            }
        }
    }

    [TestMethod]
    public void NonFiniteInSecondTensor_ReportsTensorIndexOne()
    {
        const int n0 = 9, n1 = 20;
        foreach (float bad in BadValues)
        {
            var random = new Random(2);
            var optimizer = new AdaBeliefOptimizer([n0, n1], new AdaBeliefOptions { LearningRate = 0.01 });
            var reference = new AdaBeliefOptimizer([n0, n1], new AdaBeliefOptions { LearningRate = 0.01 });
            float[] p0 = KernelAgreementTests.RandomArray(random, n0, 1f), p1 = KernelAgreementTests.RandomArray(random, n1, 1f);
            float[] q0 = (float[])p0.Clone(), q1 = (float[])p1.Clone();
            float[] g0 = KernelAgreementTests.RandomGradient(random, n0), g1 = KernelAgreementTests.RandomGradient(random, n1);
            float[] finite1 = (float[])g1.Clone();
            g1[13] = bad;
            float[] before1 = (float[])p1.Clone();

            var e = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.Step(p0, g0, p1, g1));
            Assert.IsTrue(reference.Step(q0, g0, q1, finite1));

            Assert.AreEqual(1, e.TensorIndex);
            Assert.AreEqual(13, e.ElementIndex);
            Assert.AreEqual(BitConverter.SingleToInt32Bits(bad), BitConverter.SingleToInt32Bits(e.Value));
            Assert.Contains("element 13 of tensor 1", e.Message);
            Assert.AreEqual("gradients", e.ParamName);
            BitwiseAssert.AreEqual(q0, p0, "tensor 0");
            AssertUpdatedExceptAt(q1, p1, before1, 13, "tensor 1");

            // The list overload reports the same element.
            var fromList = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.Step([p0, p1], [g0, g1]));
            Assert.AreEqual(1, fromList.TensorIndex);
            Assert.AreEqual(13, fromList.ElementIndex);
        }
    }

    [TestMethod]
    public void NonFiniteInBothTensors_ReportsFirstTensor()
    {
        var optimizer = new AdaBeliefOptimizer([4, 4]);
        float[] g0 = [0f, 1f, 2f, float.NegativeInfinity], g1 = [float.NaN, 0f, 0f, 0f];

        var e = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.Step(new float[4], g0, new float[4], g1));

        Assert.AreEqual(0, e.TensorIndex);
        Assert.AreEqual(3, e.ElementIndex);
        Assert.AreEqual(float.NegativeInfinity, e.Value);
    }

    [TestMethod]
    public void NonFiniteWithNormClipping_ThrowsBeforeAnythingChanges()
    {
        foreach (int n in new[] { 1, 7, 8, 29, 64 })
        {
            foreach (int k in InterestingIndices(n))
            {
                foreach (float bad in BadValues)
                {
                    foreach (int badTensor in new[] { 0, 1 })
                    {
                        var options = new AdaBeliefOptions { LearningRate = 0.01, GradientClipNorm = 0.5, Amsgrad = true };
                        var (optimizer, p0, p1) = Warmed([n, n], options, seed: n);
                        Snapshot before = Snapshot.Of(optimizer, p0, p1);
                        var random = new Random(k);
                        float[] g0 = KernelAgreementTests.RandomGradient(random, n), g1 = KernelAgreementTests.RandomGradient(random, n);
                        (badTensor == 0 ? g0 : g1)[k] = bad;
                        float[] copy0 = (float[])g0.Clone(), copy1 = (float[])g1.Clone();

                        var e = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.Step(p0, g0, p1, g1));

                        Assert.AreEqual(badTensor, e.TensorIndex);
                        Assert.AreEqual(k, e.ElementIndex);
                        Assert.AreEqual(BitConverter.SingleToInt32Bits(bad), BitConverter.SingleToInt32Bits(e.Value));
                        before.AssertUnchanged(optimizer, p0, p1);
                        BitwiseAssert.AreEqual(copy0, g0, "gradient 0");
                        BitwiseAssert.AreEqual(copy1, g1, "gradient 1");
                    }
                }
            }
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SkipStepPolicy_SkipsWithoutChangingAnything(bool clipNorm)
    {
        foreach (int n in new[] { 1, 8, 29 })
        {
            foreach (float bad in BadValues)
            {
                foreach (int badTensor in new[] { 0, 1 })
                {
                    var options = new AdaBeliefOptions
                    {
                        LearningRate = 0.01,
                        NonFiniteGradients = NonFiniteGradientPolicy.SkipStep,
                        GradientClipNorm = clipNorm ? 0.5 : null,
                        WeightDecay = 0.1,
                    };
                    var (optimizer, p0, p1) = Warmed([n, 5], options, seed: 9);
                    Snapshot before = Snapshot.Of(optimizer, p0, p1);
                    var random = new Random(n);
                    float[] g0 = KernelAgreementTests.RandomGradient(random, n), g1 = KernelAgreementTests.RandomGradient(random, 5);
                    (badTensor == 0 ? g0 : g1)[badTensor == 0 ? n - 1 : 2] = bad;

                    Assert.IsFalse(optimizer.Step(p0, g0, p1, g1));
                    Assert.IsFalse(optimizer.Step([p0, p1], [g0, g1]));

                    Assert.AreEqual(2L, optimizer.SkippedStepCount);
                    BitwiseAssert.AreEqual(before.Parameters[0], p0, "tensor 0");
                    BitwiseAssert.AreEqual(before.Parameters[1], p1, "tensor 1");
                    AdaBeliefState after = optimizer.ExportState();
                    Assert.AreEqual(before.State.StepCount, after.StepCount);
                    Assert.AreEqual(before.State.StepCount, optimizer.StepCount);
                    BitwiseAssert.AreEqual(before.State.FirstMoment.Span, after.FirstMoment.Span, "m");
                    BitwiseAssert.AreEqual(before.State.SecondMoment.Span, after.SecondMoment.Span, "s");
                }
            }
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SkipStepPolicy_NextFiniteStepIsAsIfBadOneNeverHappened(bool clipNorm)
    {
        var options = new AdaBeliefOptions
        {
            LearningRate = 0.01,
            NonFiniteGradients = NonFiniteGradientPolicy.SkipStep,
            GradientClipNorm = clipNorm ? 0.5 : null,
            Amsgrad = true,
        };
        var skipping = new AdaBeliefOptimizer([17, 4], options);
        var clean = new AdaBeliefOptimizer([17, 4], options);
        var random = new Random(8);
        float[] p0 = KernelAgreementTests.RandomArray(random, 17, 1f), p1 = KernelAgreementTests.RandomArray(random, 4, 1f);
        float[] q0 = (float[])p0.Clone(), q1 = (float[])p1.Clone();
        for (int step = 0; step < 12; step++)
        {
            float[] g0 = KernelAgreementTests.RandomGradient(random, 17), g1 = KernelAgreementTests.RandomGradient(random, 4);
            if (step % 3 == 1)
            {
                float[] b0 = (float[])g0.Clone(), b1 = (float[])g1.Clone();
                (step % 2 == 0 ? b0 : b1)[step % 4] = BadValues[step % 3];
                Assert.IsFalse(skipping.Step(p0, b0, p1, b1));
            }

            Assert.IsTrue(skipping.Step(p0, g0, p1, g1));
            Assert.IsTrue(clean.Step(q0, g0, q1, g1));
        }

        Assert.AreEqual(4L, skipping.SkippedStepCount);
        Assert.AreEqual(0L, clean.SkippedStepCount);
        Assert.AreEqual(12L, skipping.StepCount);
        BitwiseAssert.AreEqual(q0, p0, "tensor 0");
        BitwiseAssert.AreEqual(q1, p1, "tensor 1");
        AdaBeliefState a = skipping.ExportState(), b = clean.ExportState();
        BitwiseAssert.AreEqual(b.FirstMoment.Span, a.FirstMoment.Span, "m");
        BitwiseAssert.AreEqual(b.SecondMoment.Span, a.SecondMoment.Span, "s");
        BitwiseAssert.AreEqual(b.MaxSecondMoment!.Value.Span, a.MaxSecondMoment!.Value.Span, "sMax");
    }

    [TestMethod]
    [DataRow(NonFiniteGradientPolicy.Throw)]
    [DataRow(NonFiniteGradientPolicy.SkipStep)]
    public void HugeFiniteGradientsWithNormClipping_AreClippedNotRejected(NonFiniteGradientPolicy policy)
    {
        // Each tensor's float sum of squares overflows (1e60 per element); the norm must still come out finite.
        const int n0 = 40, n1 = 3;
        const double clip = 2.0;
        var options = new AdaBeliefOptions { LearningRate = 0.01, GradientClipNorm = clip, NonFiniteGradients = policy };
        var optimizer = new AdaBeliefOptimizer([n0, n1], options);
        var random = new Random(4);
        float[] p0 = KernelAgreementTests.RandomArray(random, n0, 1f), p1 = KernelAgreementTests.RandomArray(random, n1, 1f);
        double[][] oracleParameters = [p0.Select(v => (double)v).ToArray(), p1.Select(v => (double)v).ToArray()];
        var oracle = new ReferenceAdaBelief([n0, n1], options);

        for (int step = 0; step < 5; step++)
        {
            float[] g0 = KernelAgreementTests.RandomArray(random, n0, 1f).Select(v => v * 1e30f).ToArray();
            float[] g1 = KernelAgreementTests.RandomArray(random, n1, 1f).Select(v => v * 3e30f).ToArray();
            Assert.IsFalse(float.IsFinite(g0.Sum(v => v * v)), "the float sum of squares should overflow");

            Assert.IsTrue(optimizer.Step(p0, g0, p1, g1));
            oracle.Step(oracleParameters, [g0.Select(v => (double)v).ToArray(), g1.Select(v => (double)v).ToArray()], 0.01);

            if (step == 0)
            {
                double norm = Math.Sqrt(g0.Concat(g1).Sum(v => (double)v * v));
                float[] m = optimizer.ExportState().FirstMoment.ToArray();
                float[] g = [.. g0, .. g1];
                for (int i = 0; i < g.Length; i++)
                {
                    double expected = (1 - AdaBeliefDefaults.Beta1) * g[i] * (clip / norm);
                    Assert.AreEqual(expected, m[i], 1e-6 * Math.Abs(expected), $"m[{i}] after the first step");
                }
            }
        }

        Assert.AreEqual(5L, optimizer.StepCount);
        Assert.AreEqual(0L, optimizer.SkippedStepCount);
        AdaBeliefState state = optimizer.ExportState();
        BitwiseAssert.AllFinite(p0, "tensor 0");
        BitwiseAssert.AllFinite(p1, "tensor 1");
        BitwiseAssert.AllFinite(state.FirstMoment.Span, "m");
        BitwiseAssert.AllFinite(state.SecondMoment.Span, "s");
        float[] p = [.. p0, .. p1];
        double[] expectedP = [.. oracleParameters[0], .. oracleParameters[1]];
        for (int i = 0; i < p.Length; i++)
            Assert.AreEqual(expectedP[i], p[i], 1e-5, $"parameter {i}");
    }

    /// <summary>
    /// The fused check: after some finite steps, a step whose gradient is bad at k throws, leaves element k (parameter
    /// and moments) as it was, and updates every other element exactly as a step with a finite value at k would.
    /// </summary>
    private static void CheckFusedThrow(AdaBeliefOptions options, KernelWidth width, int n, int k, float bad)
    {
        string what = string.Create(CultureInfo.InvariantCulture, $"n={n} k={k} bad={bad} width={width} ({OptionCombinations.Describe(options)})");
        var random = new Random(n * 31 + k);
        var optimizer = new AdaBeliefOptimizer(n, options) { Width = width };
        var reference = new AdaBeliefOptimizer(n, options) { Width = width };
        float[] p = KernelAgreementTests.RandomArray(random, n, 1f);
        float[] q = (float[])p.Clone();
        for (int step = 0; step < 3; step++)
        {
            float[] warm = KernelAgreementTests.RandomGradient(random, n);
            Assert.IsTrue(optimizer.Step(p, warm));
            Assert.IsTrue(reference.Step(q, warm));
        }

        float[] before = (float[])p.Clone();
        AdaBeliefState stateBefore = optimizer.ExportState();
        float[] finite = KernelAgreementTests.RandomGradient(random, n);
        float[] gradient = (float[])finite.Clone();
        gradient[k] = bad;

        var e = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.Step(p, gradient), what);
        Assert.IsTrue(reference.Step(q, finite));

        Assert.AreEqual(0, e.TensorIndex, what);
        Assert.AreEqual(k, e.ElementIndex, what);
        Assert.AreEqual(BitConverter.SingleToInt32Bits(bad), BitConverter.SingleToInt32Bits(e.Value), what);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"holds {bad} at element {k} of tensor 0"), e.Message, what);
        float[] expectedGradient = (float[])finite.Clone();
        expectedGradient[k] = bad;
        BitwiseAssert.AreEqual(expectedGradient, gradient, $"gradient, {what}");

        // The finite elements took step t, so the count moves on with them.
        Assert.AreEqual(reference.StepCount, optimizer.StepCount, what);
        AssertUpdatedExceptAt(q, p, before, k, $"parameters, {what}");
        AdaBeliefState actual = optimizer.ExportState(), expected = reference.ExportState();
        AssertUpdatedExceptAt(expected.FirstMoment.Span, actual.FirstMoment.Span, stateBefore.FirstMoment.Span, k, $"m, {what}");
        AssertUpdatedExceptAt(expected.SecondMoment.Span, actual.SecondMoment.Span, stateBefore.SecondMoment.Span, k, $"s, {what}");
        if (options.Amsgrad)
        {
            AssertUpdatedExceptAt(
                expected.MaxSecondMoment!.Value.Span, actual.MaxSecondMoment!.Value.Span, stateBefore.MaxSecondMoment!.Value.Span, k, $"sMax, {what}");
        }
    }

    /// <summary>Element k equals its old value, every other element the reference's; nothing is NaN or infinite.</summary>
    private static void AssertUpdatedExceptAt(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, ReadOnlySpan<float> before, int k, string what)
    {
        BitwiseAssert.AllFinite(actual, what);
        Assert.AreEqual(BitConverter.SingleToInt32Bits(before[k]), BitConverter.SingleToInt32Bits(actual[k]), $"{what}: element {k} changed");
        for (int i = 0; i < actual.Length; i++)
        {
            if (i != k && BitConverter.SingleToInt32Bits(reference[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected {reference[i]:R}, got {actual[i]:R}");
        }
    }

    /// <summary>Indices at the start, in and at the end of the vector body of every width, and in the scalar tail.</summary>
    private static IEnumerable<int> InterestingIndices(int n) =>
        new[] { 0, 1, 3, 4, 7, 8, 15, 16, 31, n / 2, n - 9, n - 8, n - 2, n - 1 }.Where(k => k >= 0 && k < n).Distinct();

    private static (AdaBeliefOptimizer Optimizer, float[] P0, float[] P1) Warmed(int[] lengths, AdaBeliefOptions options, int seed)
    {
        var random = new Random(seed);
        var optimizer = new AdaBeliefOptimizer(lengths, options);
        float[] p0 = KernelAgreementTests.RandomArray(random, lengths[0], 1f), p1 = KernelAgreementTests.RandomArray(random, lengths[1], 1f);
        for (int step = 0; step < 3; step++)
        {
            Assert.IsTrue(optimizer.Step(
                p0, KernelAgreementTests.RandomGradient(random, lengths[0]), p1, KernelAgreementTests.RandomGradient(random, lengths[1])));
        }

        return (optimizer, p0, p1);
    }
}
