namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// Settings at the edge of their ranges (β₁ = 0, β₂ = 0, ε = 0, learning rate 0), empty tensors, and determinism.
/// </summary>
[TestClass]
public sealed class EdgeCaseTests
{
    [TestMethod]
    public void Beta1Zero_StaysFiniteAndFollowsReferenceFor50Steps()
    {
        // With β₁ = 0, m is the gradient itself, g − m is 0, and s holds nothing but accumulated ε: the
        // denominator is tiny and the steps are large, but nothing may become NaN.
        AdaBeliefOptions[] optionSets =
        [
            new AdaBeliefOptions { Beta1 = 0 },
            new AdaBeliefOptions { Beta1 = 0, Epsilon = 1e-8, Nesterov = true },
            new AdaBeliefOptions { Beta1 = 0, Epsilon = 1e-8, Rectify = true, Amsgrad = true },
            new AdaBeliefOptions { Beta1 = 0, Epsilon = 1e-8, GradientClipNorm = 1, GradientClipValue = 0.5 },
        ];
        foreach (AdaBeliefOptions options in optionSets)
        {
            const int n = 19;
            var random = new Random(6);
            var optimizer = new AdaBeliefOptimizer(n, options);
            var oracle = new ReferenceAdaBelief([n], options);
            float[] p = KernelAgreementTests.RandomArray(random, n, 1f);
            double[][] expected = [p.Select(v => (double)v).ToArray()];
            float[] start = (float[])p.Clone();
            string what = $"ε={options.Epsilon} {OptionCombinations.Describe(options)}";
            for (int step = 0; step < 50; step++)
            {
                float[] g = KernelAgreementTests.RandomArray(random, n, 1f);
                Assert.IsTrue(optimizer.Step(p, g));
                oracle.Step(expected, [g.Select(v => (double)v).ToArray()], AdaBeliefDefaults.LearningRate);

                AdaBeliefState state = optimizer.ExportState();
                BitwiseAssert.AllFinite(p, $"parameters after step {step + 1}, {what}");
                BitwiseAssert.AllFinite(state.FirstMoment.Span, $"m after step {step + 1}, {what}");
                BitwiseAssert.AllFinite(state.SecondMoment.Span, $"s after step {step + 1}, {what}");
                Assert.IsTrue(state.SecondMoment.ToArray().All(v => v > 0), $"s after step {step + 1}, {what}");
                if (options.GradientClipNorm is null && options.GradientClipValue is null)
                    CollectionAssert.AreEqual(g, state.FirstMoment.ToArray(), $"with β₁ = 0, m is the gradient ({what})");
            }

            for (int i = 0; i < n; i++)
            {
                double movement = Math.Abs(expected[0][i] - start[i]);
                Assert.AreEqual(expected[0][i], p[i], 1e-6 + 1e-4 * movement, $"parameter {i}, {what}");
            }
        }
    }

    [TestMethod]
    public void EpsilonZeroWithGradientZeroForever_LeavesParameterUnchanged()
    {
        AdaBeliefOptions[] optionSets =
        [
            new AdaBeliefOptions { Epsilon = 0, LearningRate = 0.1 },
            new AdaBeliefOptions { Epsilon = 0, LearningRate = 0.1, Amsgrad = true },
            new AdaBeliefOptions { Epsilon = 0, LearningRate = 0.1, Rectify = true, Beta2 = 0.9 },
            new AdaBeliefOptions { Epsilon = 0, LearningRate = 0.1, Nesterov = true },
            new AdaBeliefOptions { Epsilon = 0, LearningRate = 0.1, GradientClipNorm = 1, GradientClipValue = 1 },
            new AdaBeliefOptions { Epsilon = 0, LearningRate = 0.1, Beta2 = 0 },
        ];
        foreach (AdaBeliefOptions options in optionSets)
        {
            // Elements 0-9 see an exactly zero gradient forever; 10-19 see varying gradients and must move.
            const int n = 20;
            var random = new Random(12);
            var optimizer = new AdaBeliefOptimizer(n, options);
            float[] p = KernelAgreementTests.RandomArray(random, n, 1f);
            float[] start = (float[])p.Clone();
            string what = $"{OptionCombinations.Describe(options)} β=({options.Beta1}, {options.Beta2})";
            for (int step = 0; step < 40; step++)
            {
                float[] g = KernelAgreementTests.RandomArray(random, n, 1f);
                Array.Clear(g, 0, 10);
                Assert.IsTrue(optimizer.Step(p, g));
            }

            AdaBeliefState state = optimizer.ExportState();
            BitwiseAssert.AreEqual(start.AsSpan(0, 10), p.AsSpan(0, 10), $"zero-gradient parameters, {what}");
            BitwiseAssert.AreEqual(new float[10], state.FirstMoment.Span[..10], $"m, {what}");
            BitwiseAssert.AreEqual(new float[10], state.SecondMoment.Span[..10], $"s, {what}");
            BitwiseAssert.AllFinite(p, $"parameters, {what}");
            for (int i = 10; i < n; i++)
                Assert.AreNotEqual(start[i], p[i], $"parameter {i} should have moved, {what}");
        }
    }

    [TestMethod]
    public void EpsilonZeroAndAllGradientsZero_NothingMovesAndNothingIsNaN()
    {
        var optimizer = new AdaBeliefOptimizer([7, 33], new AdaBeliefOptions { Epsilon = 0, LearningRate = 1, Amsgrad = true });
        float[] p0 = [.. Enumerable.Range(1, 7).Select(i => i * 0.5f)], p1 = [.. Enumerable.Range(1, 33).Select(i => -i * 0.25f)];
        float[] s0 = (float[])p0.Clone(), s1 = (float[])p1.Clone();

        for (int step = 0; step < 100; step++)
            Assert.IsTrue(optimizer.Step(p0, new float[7], p1, new float[33]));

        BitwiseAssert.AreEqual(s0, p0, "tensor 0");
        BitwiseAssert.AreEqual(s1, p1, "tensor 1");
        AdaBeliefState state = optimizer.ExportState();
        BitwiseAssert.AreEqual(new float[40], state.FirstMoment.Span, "m");
        BitwiseAssert.AreEqual(new float[40], state.SecondMoment.Span, "s");
        BitwiseAssert.AreEqual(new float[40], state.MaxSecondMoment!.Value.Span, "sMax");
        Assert.AreEqual(100L, optimizer.StepCount);
    }

    [TestMethod]
    public void Beta2Zero_FollowsReference()
    {
        AdaBeliefOptions[] optionSets =
        [
            new AdaBeliefOptions { Beta2 = 0, Epsilon = 1e-8, LearningRate = 0.01 },
            new AdaBeliefOptions { Beta2 = 0, Epsilon = 1e-8, LearningRate = 0.01, Amsgrad = true, Nesterov = true },
            new AdaBeliefOptions { Beta2 = 0, Epsilon = 1e-8, LearningRate = 0.01, Rectify = true },
        ];
        foreach (AdaBeliefOptions options in optionSets)
        {
            const int n = 23;
            var random = new Random(14);
            var optimizer = new AdaBeliefOptimizer(n, options);
            var oracle = new ReferenceAdaBelief([n], options);
            float[] p = KernelAgreementTests.RandomArray(random, n, 1f);
            float[] start = (float[])p.Clone();
            double[][] expected = [p.Select(v => (double)v).ToArray()];
            string what = OptionCombinations.Describe(options);
            for (int step = 0; step < 30; step++)
            {
                float[] g = KernelAgreementTests.RandomArray(random, n, 1f);
                Assert.IsTrue(optimizer.Step(p, g));
                oracle.Step(expected, [g.Select(v => (double)v).ToArray()], 0.01);
            }

            // With β₂ = 0 the denominator is |g − m| itself: when the gradient comes close to its mean, float
            // cancellation in g − m costs relative precision and the step is large, so the float run drifts from the
            // double oracle in proportion to how far the parameter has travelled, not to the learning rate.
            BitwiseAssert.AllFinite(p, what);
            for (int i = 0; i < n; i++)
            {
                double movement = Math.Abs(expected[0][i] - start[i]);
                Assert.AreEqual(expected[0][i], p[i], 1e-5 + 1e-3 * movement, $"parameter {i}, {what}");
            }
        }
    }

    [TestMethod]
    public void ZeroLengthTensor_StepsAndLeavesOtherTensorAsIfAlone()
    {
        var empty = new AdaBeliefOptimizer(0, new AdaBeliefOptions { GradientClipNorm = 1 });
        Assert.IsTrue(empty.Step(Array.Empty<float>(), Array.Empty<float>()));
        Assert.IsTrue(empty.Step(Span<float>.Empty, ReadOnlySpan<float>.Empty));
        Assert.AreEqual(2L, empty.StepCount);
        Assert.AreEqual(0, empty.ParameterCount);
        Assert.AreEqual(0, empty.ExportState().FirstMoment.Length);

        foreach (double? clip in new double?[] { null, 0.5 })
        {
            var options = new AdaBeliefOptions { LearningRate = 0.01, GradientClipNorm = clip, Amsgrad = true };
            var alone = new AdaBeliefOptimizer(6, options);
            var before = new AdaBeliefOptimizer([0, 6], options);
            var after = new AdaBeliefOptimizer([6, 0], options);
            var random = new Random(21);
            float[] a = KernelAgreementTests.RandomArray(random, 6, 1f);
            float[] b = (float[])a.Clone(), c = (float[])a.Clone();
            for (int step = 0; step < 5; step++)
            {
                float[] g = KernelAgreementTests.RandomGradient(random, 6);
                Assert.IsTrue(alone.Step(a, g));
                Assert.IsTrue(before.Step([], [], b, g));
                Assert.IsTrue(after.Step([c, Memory<float>.Empty], [g, ReadOnlyMemory<float>.Empty]));
            }

            BitwiseAssert.AreEqual(a, b, $"empty tensor first, clip {clip}");
            BitwiseAssert.AreEqual(a, c, $"empty tensor last, clip {clip}");
            AdaBeliefState expected = alone.ExportState();
            BitwiseAssert.AreEqual(expected.FirstMoment.Span, before.ExportState().FirstMoment.Span, "m");
            BitwiseAssert.AreEqual(expected.SecondMoment.Span, after.ExportState().SecondMoment.Span, "s");
        }
    }

    [TestMethod]
    public void LearningRateZero_LeavesParametersButUpdatesMoments()
    {
        AdaBeliefOptions[] optionSets =
        [
            new AdaBeliefOptions(),
            new AdaBeliefOptions { WeightDecay = 0.5, DecoupledWeightDecay = true, Nesterov = true },
            new AdaBeliefOptions { Rectify = true, Amsgrad = true, GradientClipNorm = 0.3 },
        ];
        foreach (AdaBeliefOptions options in optionSets)
        {
            const int n = 21;
            string what = OptionCombinations.Describe(options);
            AdaBeliefOptions frozen = options.Clone();
            frozen.LearningRate = 0.0;
            AdaBeliefOptions moving = options.Clone();
            moving.LearningRate = 0.05;
            var still = new AdaBeliefOptimizer(n, frozen);
            var reference = new AdaBeliefOptimizer(n, moving);
            var random = new Random(25);
            float[] p = KernelAgreementTests.RandomArray(random, n, 1f);
            float[] start = (float[])p.Clone();
            float[] q = (float[])p.Clone();
            for (int step = 0; step < 10; step++)
            {
                float[] g = KernelAgreementTests.RandomGradient(random, n);
                Assert.IsTrue(still.Step(p, g));
                Assert.IsTrue(reference.Step(q, g));
                if (step == 0)
                {
                    // m = (1 − β₁)·g after the first step (clipping aside).
                    float[] m = still.ExportState().FirstMoment.ToArray();
                    if (options.GradientClipNorm is null)
                    {
                        for (int i = 0; i < n; i++)
                            Assert.AreEqual((float)(1 - options.Beta1) * g[i], m[i], $"m[{i}], {what}");
                    }
                }
            }

            BitwiseAssert.AreEqual(start, p, $"parameters, {what}");
            Assert.AreEqual(10L, still.StepCount);

            // Without coupled decay, the moments do not depend on the parameters, hence not on the rate.
            AdaBeliefState frozenState = still.ExportState(), movingState = reference.ExportState();
            BitwiseAssert.AreEqual(movingState.FirstMoment.Span, frozenState.FirstMoment.Span, $"m, {what}");
            BitwiseAssert.AreEqual(movingState.SecondMoment.Span, frozenState.SecondMoment.Span, $"s, {what}");
            Assert.IsTrue(frozenState.FirstMoment.ToArray().Any(v => v != 0), what);
            CollectionAssert.AreNotEqual(start, q, "the reference at a positive rate moves");
        }
    }

    [TestMethod]
    public void LearningRateZeroWithCoupledDecay_LeavesParametersButDecaysIntoMoments()
    {
        var optimizer = new AdaBeliefOptimizer(4, new AdaBeliefOptions { LearningRate = 0.0, WeightDecay = 0.5 });
        float[] p = [1f, -2f, 4f, 0.5f];
        float[] start = (float[])p.Clone();

        Assert.IsTrue(optimizer.Step(p, new float[4]));

        CollectionAssert.AreEqual(start, p);
        float[] m = optimizer.ExportState().FirstMoment.ToArray();
        for (int i = 0; i < p.Length; i++)
            Assert.AreEqual(0.1f * 0.5f * p[i], m[i], 1e-7f, $"m[{i}]");
    }

    [TestMethod]
    public void SameSeedAndData_GiveBitIdenticalRuns()
    {
        var options = new AdaBeliefOptions
        {
            LearningRate = 0.02,
            Amsgrad = true,
            Nesterov = true,
            GradientClipNorm = 1,
            WeightDecay = 0.01,
        };
        (float[] W, float[] B, AdaBeliefState State) first = Train(options, seed: 42);
        (float[] W, float[] B, AdaBeliefState State) second = Train(options, seed: 42);
        (float[] W, float[] B, AdaBeliefState State) other = Train(options, seed: 43);

        BitwiseAssert.AreEqual(first.W, second.W, "weights");
        BitwiseAssert.AreEqual(first.B, second.B, "bias");
        BitwiseAssert.StatesEqual(first.State, second.State, "state");
        CollectionAssert.AreNotEqual(first.W, other.W, "another seed should give another run");
    }

    /// <summary>Linear least squares on seeded data, the gradient computed from the current parameters each step.</summary>
    private static (float[] W, float[] B, AdaBeliefState State) Train(AdaBeliefOptions options, int seed)
    {
        const int features = 13, samples = 64;
        var random = new Random(seed);
        float[][] x = Enumerable.Range(0, samples).Select(_ => KernelAgreementTests.RandomArray(random, features, 1f)).ToArray();
        float[] trueW = KernelAgreementTests.RandomArray(random, features, 2f);
        float[] y = x.Select(row => row.Zip(trueW, (a, b) => a * b).Sum() + 0.5f).ToArray();

        var optimizer = new AdaBeliefOptimizer([features, 1], options);
        float[] w = new float[features], bias = new float[1];
        float[] gw = new float[features], gb = new float[1];
        for (int step = 0; step < 200; step++)
        {
            Array.Clear(gw);
            gb[0] = 0;
            foreach (int i in Enumerable.Range(0, 16).Select(_ => random.Next(samples)))
            {
                float error = x[i].Zip(w, (a, b) => a * b).Sum() + bias[0] - y[i];
                for (int j = 0; j < features; j++)
                    gw[j] += error * x[i][j] / 16;
                gb[0] += error / 16;
            }

            Assert.IsTrue(optimizer.Step(w, gw, bias, gb));
        }

        return (w, bias, optimizer.ExportState());
    }
}
