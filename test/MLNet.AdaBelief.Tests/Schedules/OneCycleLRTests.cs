namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class OneCycleLRTests
{
    // max 1, div 25, final div 1e4: initial 0.04, final 4e-6.
    private const double Initial = 0.04;
    private const double Final = 4e-6;

    [TestMethod]
    public void DefaultsPeakAtPctStartTimesTotalMinusOneAndEndAtTheFinalRate()
    {
        var schedule = new OneCycleLR(0.1, 1000);

        RateAssert.Values(schedule, (0, 0.1 / 25), (299, 0.1), (999, 0.1 / 25 / 1e4));
        Assert.IsLessThan(0.1, schedule.GetLearningRate(298));
        Assert.IsLessThan(0.1, schedule.GetLearningRate(300));
        RateAssert.Close(0.004, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void TwoPhaseCosine()
    {
        // pct 0.25, 100 steps: phase 1 over counts [0, 24], phase 2 over [24, 99] (75 counts).
        // A cosine at 1/3 of a phase has covered (1 − cos(π/3)) / 2 = 1/4 of the way; at 2/3, 3/4 of it.
        RateAssert.Values(
            new OneCycleLR(1.0, 100, 0.25),
            (0, Initial),
            (8, Initial + (1 - Initial) / 4),
            (12, (Initial + 1) / 2),
            (24, 1.0),
            (49, 1 - (1 - Final) / 4),
            (74, 1 - (1 - Final) * 3 / 4),
            (99, Final),
            // Count N continues the last phase past its end, as PyTorch allows: cos(π · 76/75) + 1 = 1 − cos(π/75).
            (100, Final + (1 - Final) * (1 - Math.Cos(Math.PI / 75)) / 2));
    }

    [TestMethod]
    public void TwoPhaseLinear()
    {
        RateAssert.Values(
            new OneCycleLR(1.0, 100, 0.25, OneCycleAnnealing.Linear),
            (0, Initial),
            (6, Initial + (1 - Initial) / 4),
            (12, (Initial + 1) / 2),
            (24, 1.0),
            (49, 1 - (1 - Final) / 3),
            (99, Final));
    }

    [TestMethod]
    public void ThreePhaseReturnsToTheInitialRateBeforeTheFinalDecay()
    {
        // Phases end at 24, 2 · 0.25 · 100 − 2 = 48 and 99; phase 3 spans 51 counts, so count 65 is a third in.
        RateAssert.Values(
            new OneCycleLR(1.0, 100, 0.25, threePhase: true),
            (0, Initial),
            (12, (Initial + 1) / 2),
            (24, 1.0),
            (36, (Initial + 1) / 2),
            (48, Initial),
            (65, Initial - (Initial - Final) / 4),
            (99, Final));
    }

    [TestMethod]
    public void FractionalPhaseEndsAreUsedAsIs()
    {
        // pct 0.3, 15 steps: phase 1 ends at 3.5, so count 3 is at 3/3.5 of it and count 4 already in phase 2,
        // which runs from 3.5 to 14 (10.5 counts).
        var schedule = new OneCycleLR(1.0, 15, 0.3, OneCycleAnnealing.Linear);

        RateAssert.Values(schedule, (3, Initial + (1 - Initial) * 3 / 3.5), (4, 1 - (1 - Final) * 0.5 / 10.5), (14, Final));
    }

    [TestMethod]
    public void CountsPastTotalStepsAreRejected()
    {
        var schedule = new OneCycleLR(1.0, 100);

        var exception = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => schedule.GetLearningRate(101));
        Assert.AreEqual("count", exception.ParamName);
        Assert.Contains("101", exception.Message);
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("maxLearningRate", "-1", () => new OneCycleLR(-1, 100));
        RateAssert.OutOfRange("totalSteps", "0", () => new OneCycleLR(1, 0));
        RateAssert.OutOfRange("pctStart", "0", () => new OneCycleLR(1, 100, 0));
        RateAssert.OutOfRange("pctStart", "1", () => new OneCycleLR(1, 100, 1));
        RateAssert.OutOfRange("annealStrategy", "7", () => new OneCycleLR(1, 100, 0.3, (OneCycleAnnealing)7));
        RateAssert.OutOfRange("divFactor", "0", () => new OneCycleLR(1, 100, divFactor: 0));
        RateAssert.OutOfRange("finalDivFactor", "-1", () => new OneCycleLR(1, 100, finalDivFactor: -1));
        // 0.1 · 10 − 1 = 0: the first phase would have no length (PyTorch divides by zero there).
        RateAssert.OutOfRange("pctStart", "0.1", () => new OneCycleLR(1, 10, 0.1));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual(
            "OneCycleLR(0.1, totalSteps: 1000, pctStart: 0.3, annealStrategy: Cosine, divFactor: 25, finalDivFactor: 10000, threePhase: False)",
            new OneCycleLR(0.1, 1000).ToString());
    }
}
