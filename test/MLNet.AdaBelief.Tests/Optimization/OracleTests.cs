namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The optimizer (float, fused) against the independent double-precision oracle on objectives whose gradients vary,
/// for every option and variant; and the closed-form check of the reference.
/// </summary>
[TestClass]
public sealed class OracleTests
{
    [TestMethod]
    public void ConstantGradient_MatchesClosedForm()
    {
        // Reference: g constant, ε = 0, β = (0.9, 0.999): cumulative |Δθ| / α after steps 1, 2, 3.
        double[] expected = [1.1111111111, 2.2791158483, 3.5046998252];
        const double lr = 1e-3;
        var options = new AdaBeliefOptions { LearningRate = lr, Epsilon = 0 };
        float[] gradient = [0.5f, -2f, 3e-3f, -7f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 250f];
        var p = new float[gradient.Length];
        var optimizer = new AdaBeliefOptimizer(p.Length, options);
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(p, gradient);
            for (int i = 0; i < p.Length; i++)
                Assert.AreEqual(expected[step], Math.Abs(p[i]) / lr, 2e-6 * expected[step], $"step {step + 1}, element {i}");
        }

        // And the oracle itself reproduces the reference's numbers to ten digits.
        double[] q = [0.0];
        var oracle = new ReferenceAdaBelief([1], options);
        for (int step = 0; step < 3; step++)
        {
            oracle.Step([q], [[0.5]], lr);
            Assert.AreEqual(expected[step], Math.Abs(q[0]) / lr, 1e-9);
        }
    }

    [TestMethod]
    public void Rosenbrock_EveryOptionCombination_TracksOracle()
    {
        // Started near the valley floor, where the curvature (≤ ~1000) keeps the rectifier's early plain-momentum
        // steps stable at this rate.
        foreach (AdaBeliefOptions options in OptionCombinations.All(learningRate: 1e-3))
        {
            options.Beta2 = 0.99; // reaches the rectified branch (ρₜ ≥ 5) within the run
            TrackOracle(options, steps: 40, n: 21, start: 0.8, spread: 0.4, (x, g) => TestFunctions.RosenbrockGradient<float>(x, g), (x, g) => TestFunctions.RosenbrockGradient<double>(x, g));
        }
    }

    [TestMethod]
    public void Quadratic_EveryOptionCombination_TracksOracle()
    {
        double[] c = TestFunctions.Curvatures(37, 1e3);
        foreach (AdaBeliefOptions options in OptionCombinations.All(learningRate: 1e-2))
            TrackOracle(options, steps: 40, n: 37, start: -1.5, spread: 2, (x, g) => TestFunctions.QuadraticGradient<float>(x, c, g), (x, g) => TestFunctions.QuadraticGradient<double>(x, c, g));
    }

    [TestMethod]
    public void DefaultOptions_TrackOracleOverManySteps()
    {
        var options = new AdaBeliefOptions();
        double[] c = TestFunctions.Curvatures(64, 1e2);
        TrackOracle(options, steps: 500, n: 64, start: -1.5, spread: 2, (x, g) => TestFunctions.QuadraticGradient<float>(x, c, g), (x, g) => TestFunctions.QuadraticGradient<double>(x, c, g));
    }

    [TestMethod]
    public void TwoTensorsWithGlobalNormClip_TrackOracle()
    {
        var options = new AdaBeliefOptions { LearningRate = 5e-3, GradientClipNorm = 1.0, WeightDecay = 0.01 };
        var random = new Random(11);
        int[] lengths = [19, 3];
        float[][] p = lengths.Select(n => KernelAgreementTests.RandomArray(random, n, 2f)).ToArray();
        double[][] q = p.Select(a => a.Select(v => (double)v).ToArray()).ToArray();
        var optimizer = new AdaBeliefOptimizer(lengths, options);
        var oracle = new ReferenceAdaBelief(lengths, options);
        for (int step = 0; step < 30; step++)
        {
            // Gradients large enough that the global norm clip is active, varying each step.
            float[][] g = lengths.Select(n => KernelAgreementTests.RandomArray(random, n, 5f)).ToArray();
            optimizer.Step(p[0], g[0], p[1], g[1]);
            oracle.Step(q, g.Select(a => a.Select(v => (double)v).ToArray()).ToArray(), 5e-3);
        }

        for (int k = 0; k < lengths.Length; k++)
        {
            for (int i = 0; i < lengths[k]; i++)
                Assert.AreEqual(q[k][i], p[k][i], 1e-5 * Math.Max(1, Math.Abs(q[k][i])), $"tensor {k} element {i}");
        }
    }

    [TestMethod]
    [DataRow(false, true)]
    [DataRow(true, false)]
    [DataRow(true, true)]
    public void PyTorchOnlyOptions_TrackOracle(bool fixedDecay, bool sgdWhileIntractable)
    {
        // β₂ = 0.99 leaves the rectifier in its intractable branch (ρₜ < 5) for the first 5 steps, then rectifies.
        var options = new AdaBeliefOptions
        {
            LearningRate = 1e-2,
            Beta2 = 0.99,
            Rectify = true,
            WeightDecay = 0.05,
            DecoupledWeightDecay = true,
            FixedDecay = fixedDecay,
            DegenerateToSgd = sgdWhileIntractable,
            Epsilon = 1e-8,
        };
        double[] c = TestFunctions.Curvatures(37, 1e3);

        TrackOracle(options, steps: 40, n: 37, start: -1.5, spread: 2, (x, g) => TestFunctions.QuadraticGradient<float>(x, c, g), (x, g) => TestFunctions.QuadraticGradient<double>(x, c, g));
    }

    [TestMethod]
    public void WithoutSgdWhileIntractable_TheFirstStepsOnlyDecay()
    {
        var options = new AdaBeliefOptions { LearningRate = 0.1, Beta2 = 0.99, Rectify = true, DegenerateToSgd = false, WeightDecay = 0.5, DecoupledWeightDecay = true, FixedDecay = true };
        float[] p = [2f];
        var optimizer = new AdaBeliefOptimizer(1, options);

        optimizer.Step(p, [1f]);

        Assert.AreEqual(1f, p[0], "θ(1 − λ) = 2 · 0.5, and no gradient step");
    }

    [TestMethod]
    public void FixedDecay_WithoutDecoupledDecay_IsRejected() =>
        Assert.AreEqual("FixedDecay", Assert.ThrowsExactly<ArgumentException>(() => new AdaBeliefOptions { FixedDecay = true, WeightDecay = 0.1 }.Validate()).ParamName);

    /// <summary>Runs optimizer and oracle side by side, each on gradients of its own iterate, and compares every step.</summary>
    private static void TrackOracle(
        AdaBeliefOptions options, int steps, int n, double start, double spread, Action<float[], float[]> gradientF, Action<double[], double[]> gradientD)
    {
        double lr = options.LearningRate.GetLearningRate(0);
        var random = new Random(n);
        float[] x = Enumerable.Range(0, n).Select(_ => (float)(start + random.NextDouble() * spread)).ToArray();
        double[] y = x.Select(v => (double)v).ToArray();
        var gx = new float[n];
        var gy = new double[n];
        var optimizer = new AdaBeliefOptimizer(n, options);
        var oracle = new ReferenceAdaBelief([n], options);
        for (int step = 1; step <= steps; step++)
        {
            gradientF(x, gx);
            gradientD(y, gy);
            optimizer.Step(x, gx);
            oracle.Step([y], [gy], lr);
            for (int i = 0; i < n; i++)
            {
                double tolerance = 2e-5 * Math.Max(1, Math.Abs(y[i]));
                if (Math.Abs(x[i] - y[i]) > tolerance)
                    Assert.Fail($"step {step} element {i}: {x[i]:R} vs oracle {y[i]:R} ({OptionCombinations.Describe(options)})");
            }
        }
    }
}
