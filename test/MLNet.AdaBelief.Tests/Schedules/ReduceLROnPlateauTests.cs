namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class ReduceLROnPlateauTests
{
    [TestMethod]
    public void InitialStateHoldsTheBaseRateAndTheWorstBest()
    {
        Assert.AreEqual(new PlateauState(0.1, double.PositiveInfinity, 0, 0, 0), new ReduceLROnPlateau(0.1).InitialState);
        Assert.AreEqual(new PlateauState(0.1, double.NegativeInfinity, 0, 0, 0), new ReduceLROnPlateau(0.1, PlateauMode.Max).InitialState);
    }

    [TestMethod]
    public void ReducesAfterMoreThanPatienceBadReports()
    {
        var schedule = new ReduceLROnPlateau(1.0, factor: 0.5, patience: 2);

        var states = Run(schedule, 10, 9, 9, 9, 9, 8, 8, 8, 8);

        RateAssert.Rates(states.Select(s => s.LearningRate), 1.0, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25);
        RateAssert.Sequence(states.Select(s => s.BadEpochs), 0, 0, 1, 2, 0, 0, 1, 2, 0);
        RateAssert.Rates(states.Select(s => s.BestMetric), 10.0, 9, 9, 9, 9, 8, 8, 8, 8);
        Assert.AreEqual(9, states[^1].ReportCount);
    }

    [TestMethod]
    public void ImprovementsBelowTheRelativeThresholdAreBadReports()
    {
        // Better means below 9 · (1 − 1e-4) = 8.9991.
        var schedule = new ReduceLROnPlateau(1.0, factor: 0.5, patience: 1);

        var states = Run(schedule, 9, 8.9995, 8.9992, 8.999);

        RateAssert.Rates(states.Select(s => s.LearningRate), 1.0, 1, 0.5, 0.5);
        RateAssert.Rates(states.Select(s => s.BestMetric), 9.0, 9, 9, 8.999);
    }

    [TestMethod]
    public void CooldownPausesTheCountingOfBadReports()
    {
        var schedule = new ReduceLROnPlateau(1.0, factor: 0.1, patience: 1, cooldown: 2);

        var states = Run(schedule, 5, 5, 5, 5, 5, 5, 5);

        RateAssert.Rates(states.Select(s => s.LearningRate), 1.0, 1, 0.1, 0.1, 0.1, 0.1, 0.01);
        RateAssert.Sequence(states.Select(s => s.CooldownRemaining), 0, 0, 2, 1, 0, 0, 2);
        RateAssert.Sequence(states.Select(s => s.BadEpochs), 0, 1, 0, 0, 0, 1, 0);
    }

    [TestMethod]
    public void NeverGoesBelowTheMinimumRate()
    {
        var schedule = new ReduceLROnPlateau(1.0, factor: 0.1, patience: 0, minLearningRate: 0.05);

        var states = Run(schedule, 1, 1, 1, 1);

        RateAssert.Rates(states.Select(s => s.LearningRate), 1.0, 0.1, 0.05, 0.05);
    }

    [TestMethod]
    public void ReductionsSmallerThanEpsAreSkipped()
    {
        // 1.5e-8 → 7.5e-9 would change the rate by less than eps = 1e-8; the counters restart all the same.
        var schedule = new ReduceLROnPlateau(1.5e-8, factor: 0.5, patience: 0);

        var states = Run(schedule, 1, 1);

        Assert.AreEqual(1.5e-8, states[1].LearningRate);
        Assert.AreEqual(0, states[1].BadEpochs);
        Assert.AreEqual(7.5e-9, Run(new ReduceLROnPlateau(1.5e-8, factor: 0.5, patience: 0, eps: 1e-9), 1, 1)[1].LearningRate);
    }

    [TestMethod]
    public void MaxModeWithAbsoluteThreshold()
    {
        // Better means above best + 0.01.
        var schedule = new ReduceLROnPlateau(0.1, PlateauMode.Max, factor: 0.5, patience: 1, threshold: 0.01, thresholdMode: ThresholdMode.Absolute);

        var states = Run(schedule, 0.5, 0.505, 0.52, 0.525, 0.529);

        RateAssert.Rates(states.Select(s => s.LearningRate), 0.1, 0.1, 0.1, 0.1, 0.05);
        RateAssert.Rates(states.Select(s => s.BestMetric), 0.5, 0.5, 0.52, 0.52, 0.52);
    }

    [TestMethod]
    public void MaxModeWithRelativeThreshold()
    {
        // Better means above 0.5 · 1.05 = 0.525.
        var schedule = new ReduceLROnPlateau(0.1, PlateauMode.Max, threshold: 0.05);

        var states = Run(schedule, 0.5, 0.52, 0.53);

        RateAssert.Sequence(states.Select(s => s.BadEpochs), 0, 1, 0);
        Assert.AreEqual(0.53, states[2].BestMetric);
    }

    [TestMethod]
    public void MinModeWithAbsoluteThreshold()
    {
        // Better means below best − 0.1.
        var schedule = new ReduceLROnPlateau(0.1, threshold: 0.1, thresholdMode: ThresholdMode.Absolute);

        var states = Run(schedule, 1.0, 0.95, 0.85);

        RateAssert.Sequence(states.Select(s => s.BadEpochs), 0, 1, 0);
        RateAssert.Rates(states.Select(s => s.BestMetric), 1.0, 1.0, 0.85);
    }

    [TestMethod]
    public void NaNMetricIsABadReport()
    {
        var schedule = new ReduceLROnPlateau(1.0, factor: 0.5, patience: 1);

        var states = Run(schedule, 1, double.NaN, double.NaN);

        RateAssert.Rates(states.Select(s => s.LearningRate), 1.0, 1, 0.5);
        RateAssert.Rates(states.Select(s => s.BestMetric), 1.0, 1, 1);
        var first = schedule.Report(schedule.InitialState, double.NaN);
        Assert.AreEqual(1, first.BadEpochs);
        Assert.AreEqual(double.PositiveInfinity, first.BestMetric);
    }

    [TestMethod]
    public void ReportIsPure()
    {
        var schedule = new ReduceLROnPlateau(1.0, patience: 0);
        var state = schedule.Report(schedule.InitialState, 3);

        var once = schedule.Report(state, 4);
        var again = schedule.Report(state, 4);

        Assert.AreEqual(once, again);
        Assert.AreEqual(new PlateauState(1.0, 3, 0, 0, 1), state);
        Assert.AreEqual(2, once.ReportCount);
    }

    [TestMethod]
    public void GetLearningRateIsTheRateBeforeAnyReport()
    {
        var schedule = new ReduceLROnPlateau(0.1, patience: 0);
        _ = Run(schedule, 1, 2, 3);

        Assert.AreEqual(0.1, schedule.GetLearningRate(0));
        Assert.AreEqual(0.1, schedule.GetLearningRate(1_000));
        Assert.AreEqual(0.1, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new ReduceLROnPlateau(-1));
        RateAssert.OutOfRange("mode", "5", () => new ReduceLROnPlateau(1, (PlateauMode)5));
        RateAssert.OutOfRange("factor", "1", () => new ReduceLROnPlateau(1, factor: 1));
        RateAssert.OutOfRange("factor", "-0.1", () => new ReduceLROnPlateau(1, factor: -0.1));
        RateAssert.OutOfRange("patience", "-1", () => new ReduceLROnPlateau(1, patience: -1));
        RateAssert.OutOfRange("threshold", "-0.0001", () => new ReduceLROnPlateau(1, threshold: -1e-4));
        RateAssert.OutOfRange("threshold", "NaN", () => new ReduceLROnPlateau(1, threshold: double.NaN));
        RateAssert.OutOfRange("thresholdMode", "9", () => new ReduceLROnPlateau(1, thresholdMode: (ThresholdMode)9));
        RateAssert.OutOfRange("cooldown", "-2", () => new ReduceLROnPlateau(1, cooldown: -2));
        RateAssert.OutOfRange("minLearningRate", "-0.5", () => new ReduceLROnPlateau(1, minLearningRate: -0.5));
        RateAssert.OutOfRange("eps", "-1E-08", () => new ReduceLROnPlateau(1, eps: -1e-8));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual(
            "ReduceLROnPlateau(0.1, mode: Min, factor: 0.1, patience: 10, threshold: 0.0001, thresholdMode: Relative, cooldown: 0, minLearningRate: 0, eps: 1E-08)",
            new ReduceLROnPlateau(0.1).ToString());
    }

    /// <summary>The states after reporting each metric in turn, starting from the initial state.</summary>
    private static PlateauState[] Run(ReduceLROnPlateau schedule, params double[] metrics)
    {
        var states = new PlateauState[metrics.Length];
        var state = schedule.InitialState;
        for (var i = 0; i < metrics.Length; i++)
            states[i] = state = schedule.Report(state, metrics[i]);
        return states;
    }
}
