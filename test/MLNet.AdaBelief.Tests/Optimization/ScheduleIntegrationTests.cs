namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>The optimizer reads its learning rate from a schedule by steps or by epochs, and feeds a plateau schedule.</summary>
[TestClass]
public sealed class ScheduleIntegrationTests
{
    [TestMethod]
    public void StepUnit_EachStepUsesScheduleAtStepsBefore()
    {
        var schedule = new StepLR(1e-2, stepSize: 3, gamma: 0.5);
        var options = new AdaBeliefOptions { LearningRate = schedule };
        AssertMatchesOracleWithRates(options, steps: 10, rateOfStep: t => schedule.GetLearningRate(t - 1));
    }

    [TestMethod]
    public void EpochUnit_RateChangesOnlyWhenEpochCompletes()
    {
        var schedule = new ExponentialLR(1e-2, gamma: 0.5);
        var options = new AdaBeliefOptions { LearningRate = schedule, ScheduleUnit = ScheduleUnit.Epoch };
        var optimizer = new AdaBeliefOptimizer(4, options);
        float[] p = [1, 2, 3, 4];
        float[] g = [0.1f, -0.2f, 0.3f, -0.4f];

        optimizer.Step(p, g);
        optimizer.Step(p, g);
        Assert.AreEqual(1e-2, optimizer.CurrentLearningRate, 1e-15);
        optimizer.CompleteEpoch();
        Assert.AreEqual(5e-3, optimizer.CurrentLearningRate, 1e-15);
        Assert.AreEqual(1, optimizer.EpochCount);

        // Epochs 0,0 | 1,1 | 2: steps 1-2 at 1e-2, 3-4 at 5e-3, 5 at 2.5e-3.
        double[] rates = [1e-2, 1e-2, 5e-3, 5e-3, 2.5e-3];
        var epochOptimizer = new AdaBeliefOptimizer(4, options);
        float[] q = [1, 2, 3, 4];
        for (int t = 1; t <= rates.Length; t++)
        {
            epochOptimizer.Step(q, g);
            if (t % 2 == 0)
                epochOptimizer.CompleteEpoch();
        }

        AssertMatchesOracleWithRates(new AdaBeliefOptions(), steps: 5, rateOfStep: t => rates[t - 1], actual: q, gradient: g);
    }

    [TestMethod]
    public void ReduceLROnPlateau_FollowsReportedMetric()
    {
        var plateau = new ReduceLROnPlateau(1e-2, patience: 1, factor: 0.5);
        var optimizer = new AdaBeliefOptimizer(2, new AdaBeliefOptions { LearningRate = plateau });
        Assert.AreEqual(1e-2, optimizer.CurrentLearningRate);
        Assert.IsNotNull(optimizer.Plateau);

        optimizer.ReportMetric(1.0);  // improvement
        optimizer.ReportMetric(1.0);  // bad epoch 1 (within patience)
        Assert.AreEqual(1e-2, optimizer.CurrentLearningRate);
        optimizer.ReportMetric(1.0);  // bad epoch 2 > patience: halve
        Assert.AreEqual(5e-3, optimizer.CurrentLearningRate, 1e-15);
        Assert.AreEqual(3, optimizer.Plateau!.Value.ReportCount);

        // The rate in force is the one the next step uses.
        float[] p = [1, -1];
        float[] g = [0.5f, 0.25f];
        optimizer.Step(p, g);
        AssertMatchesOracleWithRates(new AdaBeliefOptions(), steps: 1, rateOfStep: _ => 5e-3, actual: p, gradient: g, start: [1, -1]);
    }

    [TestMethod]
    public void ReportMetric_WithoutPlateauSchedule_Throws()
    {
        var optimizer = new AdaBeliefOptimizer(1, new AdaBeliefOptions { LearningRate = 0.1 });
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => optimizer.ReportMetric(5));
        StringAssert.Contains(e.Message, "ReduceLROnPlateau");
        Assert.AreEqual(0.1, optimizer.CurrentLearningRate);
        Assert.IsNull(optimizer.Plateau);
    }

    private static void AssertMatchesOracleWithRates(
        AdaBeliefOptions options, int steps, Func<long, double> rateOfStep, float[]? actual = null, float[]? gradient = null, float[]? start = null)
    {
        float[] g = gradient ?? [0.1f, -0.2f, 0.3f, -0.4f];
        start ??= g.Length == 4 ? [1, 2, 3, 4] : new float[g.Length];
        if (actual is null)
        {
            actual = (float[])start.Clone();
            var optimizer = new AdaBeliefOptimizer(g.Length, options);
            for (int t = 0; t < steps; t++)
                optimizer.Step(actual, g);
        }

        double[] expected = start.Select(v => (double)v).ToArray();
        var oracle = new ReferenceAdaBelief([g.Length], options);
        for (long t = 1; t <= steps; t++)
            oracle.Step([expected], [g.Select(v => (double)v).ToArray()], rateOfStep(t));

        for (int i = 0; i < g.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"element {i}");
    }
}
