namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class MultiStepLRTests
{
    [TestMethod]
    public void PyTorchDocumentationExample()
    {
        // torch MultiStepLR docs: lr 0.05, milestones [30, 80], gamma 0.1.
        RateAssert.Values(
            new MultiStepLR(0.05, [30, 80]),
            (0, 0.05),
            (29, 0.05),
            (30, 0.005),
            (79, 0.005),
            (80, 0.0005),
            (10_000, 0.0005));
    }

    [TestMethod]
    public void RepeatedMilestonesCountWithMultiplicityInAnyOrder()
    {
        // PyTorch keeps Counter(milestones), so a milestone listed twice multiplies by γ² there.
        var schedule = new MultiStepLR(1.0, [5, 2, 5], 0.5);

        RateAssert.Values(schedule, (0, 1.0), (1, 1.0), (2, 0.5), (4, 0.5), (5, 0.125), (99, 0.125));
        RateAssert.Sequence(schedule.Milestones, 2, 5, 5);
    }

    [TestMethod]
    public void NoMilestonesIsConstant()
    {
        RateAssert.Values(new MultiStepLR(0.3, []), (0, 0.3), (1_000_000, 0.3));
    }

    [TestMethod]
    public void MilestoneAtZeroAppliesFromTheStart()
    {
        RateAssert.Values(new MultiStepLR(2.0, [0, 3], 0.5), (0, 1.0), (2, 1.0), (3, 0.5));
    }

    [TestMethod]
    public void CallerArrayIsCopied()
    {
        long[] milestones = [30, 80];
        var schedule = new MultiStepLR(0.05, milestones);

        milestones[0] = 1;
        milestones[1] = 2;

        RateAssert.Values(schedule, (2, 0.05), (30, 0.005), (80, 0.0005));
        RateAssert.Sequence(schedule.Milestones, 30, 80);
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new MultiStepLR(-1, [1]));
        RateAssert.OutOfRange("milestones", "-3", () => new MultiStepLR(0.1, [4, -3]));
        RateAssert.OutOfRange("gamma", "-0.1", () => new MultiStepLR(0.1, [4], -0.1));
        RateAssert.OutOfRange("gamma", "NaN", () => new MultiStepLR(0.1, [4], double.NaN));
        var exception = Assert.ThrowsExactly<ArgumentNullException>(() => new MultiStepLR(0.1, null!));
        Assert.AreEqual("milestones", exception.ParamName);
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("MultiStepLR(0.05, milestones: [30, 80], gamma: 0.1)", new MultiStepLR(0.05, [80, 30]).ToString());
    }
}
