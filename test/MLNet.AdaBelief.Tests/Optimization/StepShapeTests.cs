namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The shapes a step accepts: mismatched lengths and tensor counts are rejected before anything changes, gradients are
/// only read, and the ways of passing several tensors agree with each other and with one concatenated tensor.
/// </summary>
[TestClass]
public sealed class StepShapeTests
{
    private static readonly float[] ThreeGradients = [1f, 2f, 3f];

    [TestMethod]
    [DataRow(4)]
    [DataRow(6)]
    [DataRow(0)]
    public void GradientLengthDiffersFromParameters_ThrowsNamingGradients(int gradientLength)
    {
        var (optimizer, p) = Trained([5]);
        Snapshot before = Snapshot.Of(optimizer, p);

        var e = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step(p[0], new float[gradientLength]));

        Assert.AreEqual("gradients", e.ParamName);
        before.AssertUnchanged(optimizer, p);
    }

    [TestMethod]
    [DataRow(4)]
    [DataRow(6)]
    [DataRow(0)]
    public void ParameterLengthDiffersFromOptimizer_ThrowsNamingParameters(int length)
    {
        var (optimizer, p) = Trained([5]);
        Snapshot before = Snapshot.Of(optimizer, p);
        float[] wrong = Enumerable.Repeat(0.5f, length).ToArray();

        var e = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step(wrong, Enumerable.Repeat(1f, length).ToArray()));

        Assert.AreEqual("parameters", e.ParamName);
        Assert.IsTrue(wrong.All(v => v == 0.5f));
        before.AssertUnchanged(optimizer, p);
    }

    [TestMethod]
    public void OneTensorToTwoTensorOptimizer_ThrowsAndChangesNothing()
    {
        var (optimizer, p) = Trained([3, 4]);
        Snapshot before = Snapshot.Of(optimizer, p);

        var e = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step(p[0], [1f, 2f, 3f]));
        Assert.Contains("2 tensor(s)", e.Message);
        Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step([p[0]], [ThreeGradients]));

        before.AssertUnchanged(optimizer, p);
    }

    [TestMethod]
    public void TwoTensorsToOneTensorOptimizer_ThrowsAndChangesNothing()
    {
        var (optimizer, p) = Trained([3]);
        Snapshot before = Snapshot.Of(optimizer, p);
        float[] extra = [9f, 9f, 9f];

        var e = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step(p[0], [1f, 2f, 3f], extra, [1f, 1f, 1f]));
        Assert.Contains("1 tensor(s)", e.Message);
        Assert.AreEqual("parameters1", e.ParamName);
        Assert.ThrowsExactly<ArgumentException>(
            () => optimizer.Step([p[0], extra], [ThreeGradients, ThreeGradients]));

        Assert.IsTrue(extra.All(v => v == 9f));
        before.AssertUnchanged(optimizer, p);
    }

    [TestMethod]
    public void ListOverloadWithMismatchedCounts_ThrowsNamingGradients()
    {
        var (optimizer, p) = Trained([3, 4]);
        Snapshot before = Snapshot.Of(optimizer, p);

        var fewer = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step([p[0], p[1]], [new float[3]]));
        var more = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step([p[0], p[1]], [new float[3], new float[4], new float[4]]));

        Assert.AreEqual("gradients", fewer.ParamName);
        Assert.AreEqual("gradients", more.ParamName);
        before.AssertUnchanged(optimizer, p);
    }

    [TestMethod]
    public void SecondTensorMismatched_ThrowsBeforeFirstTensorIsUpdated()
    {
        var (optimizer, p) = Trained([5, 6]);
        Snapshot before = Snapshot.Of(optimizer, p);
        float[] g0 = [1f, 1f, 1f, 1f, 1f];

        var gradients = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step(p[0], g0, p[1], new float[5]));
        var parameters = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step(p[0], g0, new float[7], new float[7]));
        var list = Assert.ThrowsExactly<ArgumentException>(() => optimizer.Step([p[0], p[1]], [g0, new float[7]]));

        Assert.AreEqual("gradients1", gradients.ParamName); // the pair overload's own argument names
        Assert.AreEqual("parameters1", parameters.ParamName);
        Assert.AreEqual("gradients", list.ParamName);
        Assert.Contains("Tensor 1", gradients.Message);
        before.AssertUnchanged(optimizer, p);
    }

    [TestMethod]
    public void Step_NeverModifiesGradients()
    {
        AdaBeliefOptions[] optionSets =
        [
            new AdaBeliefOptions { LearningRate = 0.05 },
            new AdaBeliefOptions { LearningRate = 0.05, GradientClipNorm = 0.1, GradientClipValue = 0.05, WeightDecay = 0.5 },
            new AdaBeliefOptions { LearningRate = 0.05, GradientClipValue = 0.01, WeightDecay = 0.5, Amsgrad = true, Nesterov = true },
            new AdaBeliefOptions { LearningRate = 0.05, GradientClipNorm = 0.1, WeightDecay = 0.5, DecoupledWeightDecay = true, Rectify = true },
            new AdaBeliefOptions { LearningRate = 0.05, GradientClipNorm = 0.1, NonFiniteGradients = NonFiniteGradientPolicy.SkipStep },
        ];
        var random = new Random(5);
        foreach (AdaBeliefOptions options in optionSets)
        {
            var single = new AdaBeliefOptimizer(37, options);
            var pair = new AdaBeliefOptimizer([37, 11], options);
            var list = new AdaBeliefOptimizer([37, 11, 3], options);
            float[] p0 = KernelAgreementTests.RandomArray(random, 37, 1f);
            float[] p1 = KernelAgreementTests.RandomArray(random, 11, 1f);
            float[] p2 = KernelAgreementTests.RandomArray(random, 3, 1f);
            for (int step = 0; step < 6; step++)
            {
                float[] g0 = KernelAgreementTests.RandomGradient(random, 37);
                float[] g1 = KernelAgreementTests.RandomGradient(random, 11);
                float[] g2 = KernelAgreementTests.RandomGradient(random, 3);
                float[] c0 = (float[])g0.Clone(), c1 = (float[])g1.Clone(), c2 = (float[])g2.Clone();

                Assert.IsTrue(single.Step(p0, g0));
                Assert.IsTrue(pair.Step(p0, g0, p1, g1));
                Assert.IsTrue(list.Step([p0, p1, p2], [g0, g1, g2]));

                BitwiseAssert.AreEqual(c0, g0, "gradient 0");
                BitwiseAssert.AreEqual(c1, g1, "gradient 1");
                BitwiseAssert.AreEqual(c2, g2, "gradient 2");
            }
        }
    }

    [TestMethod]
    public void TwoTensorsWithoutNormClipping_EqualListOverloadAndConcatenatedTensorBitwise()
    {
        // Lengths not multiples of any register width: the concatenation puts tensor 0's scalar tail into vector
        // registers, so this also checks that the tail and the vector body compute identically.
        const int n0 = 13, n1 = 29;
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where(o => o.GradientClipNorm is null))
        {
            var random = new Random(17);
            var pair = new AdaBeliefOptimizer([n0, n1], options);
            var list = new AdaBeliefOptimizer([n0, n1], options);
            var concatenated = new AdaBeliefOptimizer(n0 + n1, options);
            float[] a0 = KernelAgreementTests.RandomArray(random, n0, 1f), a1 = KernelAgreementTests.RandomArray(random, n1, 1f);
            float[] b0 = (float[])a0.Clone(), b1 = (float[])a1.Clone();
            float[] c = [.. a0, .. a1];
            for (int step = 0; step < 10; step++)
            {
                float[] g0 = KernelAgreementTests.RandomGradient(random, n0), g1 = KernelAgreementTests.RandomGradient(random, n1);
                Assert.IsTrue(pair.Step(a0, g0, a1, g1));
                Assert.IsTrue(list.Step([b0, b1], [g0, g1]));
                Assert.IsTrue(concatenated.Step(c, [.. g0, .. g1]));
            }

            string what = OptionCombinations.Describe(options);
            BitwiseAssert.AreEqual(a0, b0, $"list vs pair, tensor 0 ({what})");
            BitwiseAssert.AreEqual(a1, b1, $"list vs pair, tensor 1 ({what})");
            BitwiseAssert.AreEqual(c, [.. a0, .. a1], $"concatenated vs pair ({what})");
            BitwiseAssert.StatesEqual(pair.ExportState(), list.ExportState(), what);
            AssertMomentsEqual(concatenated.ExportState(), pair.ExportState(), what);
        }
    }

    [TestMethod]
    public void TwoTensorsWithNormClipping_ClipByGlobalNormLikeConcatenatedTensor()
    {
        // Bitwise, with gradients chosen so that the sum of squares is exact. The norm is Σ over tensors of a float
        // reduction per tensor: for arbitrary gradients the two partial float sums round differently from the one
        // sum over the concatenation, the norm may differ in its last bits, the float clip scale may land on a
        // neighbouring float, and that difference then flows through m, s and the step: no ulp bound would hold in
        // general. Gradients that are multiples of 1/8 below 4 in magnitude have squares that are multiples of 1/64,
        // and every partial sum of a few hundred of them is exact in float, in any order and any register width; so
        // both ways compute the same norm and the results must agree bit for bit. The global (not per-tensor) norm
        // is what the concatenated tensor can only have; the first step's moment pins the scale as well.
        const int n0 = 13, n1 = 29;
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where(o => o.GradientClipNorm is not null))
        {
            var random = new Random(23);
            var pair = new AdaBeliefOptimizer([n0, n1], options);
            var list = new AdaBeliefOptimizer([n0, n1], options);
            var concatenated = new AdaBeliefOptimizer(n0 + n1, options);
            float[] a0 = KernelAgreementTests.RandomArray(random, n0, 1f), a1 = KernelAgreementTests.RandomArray(random, n1, 1f);
            float[] b0 = (float[])a0.Clone(), b1 = (float[])a1.Clone();
            float[] c = [.. a0, .. a1];
            for (int step = 0; step < 10; step++)
            {
                // Tensor 0 carries most of the norm, so per-tensor clipping would scale the two tensors differently.
                float[] g0 = DyadicGradient(random, n0, 3.875f), g1 = DyadicGradient(random, n1, 0.5f);
                Assert.IsTrue(pair.Step(a0, g0, a1, g1));
                Assert.IsTrue(list.Step([b0, b1], [g0, g1]));
                Assert.IsTrue(concatenated.Step(c, [.. g0, .. g1]));
            }

            string what = OptionCombinations.Describe(options);
            BitwiseAssert.AreEqual(a0, b0, $"list vs pair, tensor 0 ({what})");
            BitwiseAssert.AreEqual(a1, b1, $"list vs pair, tensor 1 ({what})");
            BitwiseAssert.AreEqual(c, [.. a0, .. a1], $"concatenated vs pair ({what})");
            BitwiseAssert.StatesEqual(pair.ExportState(), list.ExportState(), what);
            AssertMomentsEqual(concatenated.ExportState(), pair.ExportState(), what);
        }
    }

    [TestMethod]
    public void TwoTensorsWithNormClipping_FirstMomentScaledByGlobalNorm()
    {
        // Arbitrary (non-dyadic) gradients: after one step m = (1 − β₁)·g·c/‖g‖ with ‖g‖ over both tensors.
        const int n0 = 21, n1 = 6;
        const double clip = 0.5;
        var random = new Random(31);
        var optimizer = new AdaBeliefOptimizer([n0, n1], new AdaBeliefOptions { GradientClipNorm = clip });
        float[] p0 = KernelAgreementTests.RandomArray(random, n0, 1f), p1 = KernelAgreementTests.RandomArray(random, n1, 1f);
        float[] g0 = KernelAgreementTests.RandomArray(random, n0, 3f), g1 = KernelAgreementTests.RandomArray(random, n1, 0.1f);

        Assert.IsTrue(optimizer.Step(p0, g0, p1, g1));

        double norm = Math.Sqrt(g0.Concat(g1).Sum(v => (double)v * v));
        Assert.IsGreaterThan(clip, norm);
        float[] m = optimizer.ExportState().FirstMoment.ToArray();
        float[] g = [.. g0, .. g1];
        for (int i = 0; i < g.Length; i++)
        {
            double expected = (1 - AdaBeliefDefaults.Beta1) * g[i] * clip / norm;
            Assert.AreEqual(expected, m[i], 1e-6 * Math.Abs(expected), $"m[{i}]");
        }
    }

    private static void AssertMomentsEqual(AdaBeliefState expected, AdaBeliefState actual, string what)
    {
        Assert.AreEqual(expected.StepCount, actual.StepCount);
        BitwiseAssert.AreEqual(expected.FirstMoment.Span, actual.FirstMoment.Span, $"m ({what})");
        BitwiseAssert.AreEqual(expected.SecondMoment.Span, actual.SecondMoment.Span, $"s ({what})");
        Assert.AreEqual(expected.MaxSecondMoment.HasValue, actual.MaxSecondMoment.HasValue);
        if (expected.MaxSecondMoment is { } max)
            BitwiseAssert.AreEqual(max.Span, actual.MaxSecondMoment!.Value.Span, $"sMax ({what})");
    }

    /// <summary>Multiples of 1/8 in [−limit, limit]: their squares, and every sum of a few hundred of them, are exact floats.</summary>
    private static float[] DyadicGradient(Random random, int n, float limit)
    {
        int steps = (int)(limit * 8);
        return Enumerable.Range(0, n).Select(_ => random.Next(-steps, steps + 1) / 8f).ToArray();
    }

    /// <summary>An optimizer over tensors of the given lengths after three steps, and its parameters.</summary>
    private static (AdaBeliefOptimizer Optimizer, float[][] Parameters) Trained(int[] lengths)
    {
        var random = new Random(3);
        var optimizer = new AdaBeliefOptimizer(lengths, new AdaBeliefOptions { LearningRate = 0.01, Amsgrad = true });
        float[][] p = lengths.Select(n => KernelAgreementTests.RandomArray(random, n, 1f)).ToArray();
        for (int step = 0; step < 3; step++)
        {
            float[][] g = lengths.Select(n => KernelAgreementTests.RandomGradient(random, n)).ToArray();
            Assert.IsTrue(optimizer.Step(p.Select(x => new Memory<float>(x)).ToArray(), g.Select(x => new ReadOnlyMemory<float>(x)).ToArray()));
        }

        return (optimizer, p);
    }
}

/// <summary>Copies of an optimizer's parameters and state, to check later that nothing changed.</summary>
internal sealed class Snapshot
{
    private readonly float[][] _parameters;
    private readonly AdaBeliefState _state;

    private Snapshot(float[][] parameters, AdaBeliefState state)
    {
        _parameters = parameters;
        _state = state;
    }

    public IReadOnlyList<float[]> Parameters => _parameters;

    public AdaBeliefState State => _state;

    public static Snapshot Of(AdaBeliefOptimizer optimizer, params float[][] parameters) =>
        new(parameters.Select(p => (float[])p.Clone()).ToArray(), optimizer.ExportState());

    public void AssertUnchanged(AdaBeliefOptimizer optimizer, params float[][] parameters)
    {
        Assert.HasCount(_parameters.Length, parameters);
        for (int t = 0; t < parameters.Length; t++)
            BitwiseAssert.AreEqual(_parameters[t], parameters[t], $"parameters of tensor {t}");
        BitwiseAssert.StatesEqual(_state, optimizer.ExportState(), "state");
        Assert.AreEqual(_state.StepCount, optimizer.StepCount);
        Assert.AreEqual(_state.SkippedStepCount, optimizer.SkippedStepCount);
    }
}

/// <summary>Bit-for-bit comparisons of floats and optimizer states (distinguishing −0 from +0 and NaN payloads).</summary>
internal static class BitwiseAssert
{
    public static void AreEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    public static void StatesEqual(AdaBeliefState expected, AdaBeliefState actual, string what)
    {
        CollectionAssert.AreEqual(expected.TensorLengths.ToArray(), actual.TensorLengths.ToArray(), $"{what}: tensor lengths");
        Assert.AreEqual(expected.StepCount, actual.StepCount, $"{what}: StepCount");
        Assert.AreEqual(expected.EpochCount, actual.EpochCount, $"{what}: EpochCount");
        Assert.AreEqual(expected.SkippedStepCount, actual.SkippedStepCount, $"{what}: SkippedStepCount");
        Assert.AreEqual(expected.Plateau, actual.Plateau, $"{what}: Plateau");
        AreEqual(expected.FirstMoment.Span, actual.FirstMoment.Span, $"{what}: m");
        AreEqual(expected.SecondMoment.Span, actual.SecondMoment.Span, $"{what}: s");
        Assert.AreEqual(expected.MaxSecondMoment.HasValue, actual.MaxSecondMoment.HasValue, $"{what}: AMSGrad");
        if (expected.MaxSecondMoment is { } max)
            AreEqual(max.Span, actual.MaxSecondMoment!.Value.Span, $"{what}: sMax");
    }

    public static void AllFinite(ReadOnlySpan<float> values, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                Assert.Fail($"{what}[{i}] is {values[i]}");
        }
    }
}
