namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>The optimizer reaches the minimum of classic hard problems.</summary>
[TestClass]
public sealed class ConvergenceTests
{
    [TestMethod]
    public void Rosenbrock_ReachesMinimum()
    {
        float[] x = [-1.2f, 1f];
        var g = new float[2];
        var optimizer = new AdaBeliefOptimizer(2, new AdaBeliefOptions { LearningRate = new CosineAnnealingLR(2e-2, 20_000, 1e-4), Epsilon = 1e-12 });
        for (int step = 0; step < 20_000; step++)
        {
            TestFunctions.RosenbrockGradient<float>(x, g);
            optimizer.Step(x, g);
        }

        double f = TestFunctions.Rosenbrock([x[0], x[1]]);
        Assert.IsLessThan(1e-5, f, $"f = {f} at ({x[0]}, {x[1]})");
        Assert.AreEqual(1.0, x[0], 1e-2);
        Assert.AreEqual(1.0, x[1], 2e-2);
    }

    [TestMethod]
    public void IllConditionedQuadratic_ReachesMinimum()
    {
        // Condition number 1e4: plain gradient descent with a stable step would need ~1e4 × log(1/tol) steps.
        const int n = 50;
        double[] c = TestFunctions.Curvatures(n, 1e4);
        var x = new float[n];
        var g = new float[n];
        var optimizer = new AdaBeliefOptimizer(n, new AdaBeliefOptions { LearningRate = new ExponentialLR(5e-2, 0.999) });
        for (int step = 0; step < 4_000; step++)
        {
            TestFunctions.QuadraticGradient<float>(x, c, g);
            optimizer.Step(x, g);
        }

        for (int i = 0; i < n; i++)
            Assert.AreEqual(1.0, x[i], 1e-3, $"coordinate {i} with curvature {c[i]}");
    }
}
