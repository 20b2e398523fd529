namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class SequentialTests
{
    [TestMethod]
    public void SwitchesAtMilestonesAndRestartsTheInnerCount()
    {
        // Warm-up over counts 0–4, then cosine over 10 counts starting again from its own count 0.
        var schedule = new Sequential([new Warmup(0.1, 5), new CosineAnnealingLR(0.1, 10)], [5]);

        RateAssert.Values(schedule, (0, 0), (2, 0.04), (4, 0.08), (5, 0.1), (10, 0.05), (15, 0), (25, 0.1));
        Assert.AreEqual(0.1, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void ConstantThenExponentialAsInPyTorch()
    {
        // SequentialLR calls the second scheduler's step(0) at the milestone, so it starts from its own base rate:
        // 0.1, 0.1, then 1 · 0.9^(t − 2).
        RateAssert.Values(
            new Sequential([new ConstantLR(1.0, 0.1, 2), new ExponentialLR(1.0, 0.9)], [2]),
            (0, 0.1),
            (1, 0.1),
            (2, 1.0),
            (3, 0.9),
            (4, 0.81),
            (5, 0.729));
    }

    [TestMethod]
    public void ThreeSchedules()
    {
        var schedule = new Sequential(
            [new LinearLR(1.0, 0.5, 1.0, 2), new FixedLearningRate(1.0), new StepLR(1.0, 2, 0.5)],
            [3, 7]);

        RateAssert.Values(schedule, (0, 0.5), (1, 0.75), (2, 1.0), (3, 1.0), (6, 1.0), (7, 1.0), (8, 1.0), (9, 0.5), (11, 0.25));
    }

    [TestMethod]
    public void OneScheduleNeedsNoMilestones()
    {
        RateAssert.Values(new Sequential([new ExponentialLR(1.0, 0.5)], []), (0, 1.0), (3, 0.125));
    }

    [TestMethod]
    public void InnerScheduleErrorsPropagate()
    {
        var schedule = new Sequential([new FixedLearningRate(0.1), new OneCycleLR(1.0, 10)], [5]);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => schedule.GetLearningRate(16));
        RateAssert.Close(0.04, schedule.GetLearningRate(5));
    }

    [TestMethod]
    public void CallerArraysAreCopied()
    {
        LearningRateSchedule[] schedules = [new FixedLearningRate(1.0), new FixedLearningRate(2.0)];
        long[] milestones = [5];
        var schedule = new Sequential(schedules, milestones);

        schedules[1] = new FixedLearningRate(3.0);
        milestones[0] = 1;

        RateAssert.Values(schedule, (1, 1.0), (5, 2.0));
    }

    [TestMethod]
    public void RejectsReduceLROnPlateau()
    {
        var exception = Assert.ThrowsExactly<ArgumentException>(
            () => new Sequential([new Warmup(0.1, 5), new ReduceLROnPlateau(0.1)], [5]));

        Assert.AreEqual("schedules", exception.ParamName);
        Assert.Contains("ReduceLROnPlateau", exception.Message);
        Assert.Contains("on its own", exception.Message);
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("milestones", "0", () => new Sequential([new FixedLearningRate(1), new FixedLearningRate(2)], [0]));
        RateAssert.OutOfRange(
            "milestones",
            "3",
            () => new Sequential([new FixedLearningRate(1), new FixedLearningRate(2), new FixedLearningRate(3)], [5, 3]));
        RateAssert.OutOfRange(
            "milestones",
            "5",
            () => new Sequential([new FixedLearningRate(1), new FixedLearningRate(2), new FixedLearningRate(3)], [5, 5]));

        Assert.AreEqual(
            "milestones",
            Assert.ThrowsExactly<ArgumentException>(() => new Sequential([new FixedLearningRate(1), new FixedLearningRate(2)], [])).ParamName);
        Assert.AreEqual("schedules", Assert.ThrowsExactly<ArgumentException>(() => new Sequential([], [])).ParamName);
        Assert.AreEqual("schedules", Assert.ThrowsExactly<ArgumentException>(() => new Sequential([null!], [])).ParamName);
        Assert.AreEqual("schedules", Assert.ThrowsExactly<ArgumentNullException>(() => new Sequential(null!, [])).ParamName);
        Assert.AreEqual("milestones", Assert.ThrowsExactly<ArgumentNullException>(() => new Sequential([new FixedLearningRate(1)], null!)).ParamName);
    }

    [TestMethod]
    public void ToStringShowsTheParts()
    {
        Assert.AreEqual(
            "Sequential([Warmup(0.1, warmupCount: 5, startLearningRate: 0), ExponentialLR(0.1, gamma: 0.9)], milestones: [5])",
            new Sequential([new Warmup(0.1, 5), new ExponentialLR(0.1, 0.9)], [5]).ToString());
    }
}
