namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class StepLRTests
{
    [TestMethod]
    public void SeedExampleHalvesEveryThirtyCounts()
    {
        var schedule = new StepLR(0.001, 30, 0.5);

        RateAssert.Values(
            schedule,
            (0, 0.001),
            (29, 0.001),
            (30, 0.0005),
            (59, 0.0005),
            (60, 0.00025),
            (90, 0.000125),
            (300, 0.001 / 1024));
        Assert.AreEqual(0.001, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void PyTorchDocumentationExampleDividesByTenEveryThirtyCounts()
    {
        // torch StepLR docs: lr 0.05, step_size 30, gamma 0.1 → 0.05 below 30, 0.005 below 60, 0.0005 below 90.
        RateAssert.Values(new StepLR(0.05, 30), (0, 0.05), (29, 0.05), (30, 0.005), (60, 0.0005), (89, 0.0005), (90, 0.00005));
    }

    [TestMethod]
    public void GammaZeroDropsToZeroAtTheFirstStep()
    {
        RateAssert.Values(new StepLR(0.1, 3, 0), (0, 0.1), (2, 0.1), (3, 0), (100, 0));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-0.1", () => new StepLR(-0.1, 30));
        RateAssert.OutOfRange("baseLearningRate", "NaN", () => new StepLR(double.NaN, 30));
        RateAssert.OutOfRange("stepSize", "0", () => new StepLR(0.1, 0));
        RateAssert.OutOfRange("stepSize", "-5", () => new StepLR(0.1, -5));
        RateAssert.OutOfRange("gamma", "-0.5", () => new StepLR(0.1, 30, -0.5));
        RateAssert.OutOfRange("gamma", "Infinity", () => new StepLR(0.1, 30, double.PositiveInfinity));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("StepLR(0.001, stepSize: 30, gamma: 0.5)", new StepLR(0.001, 30, 0.5).ToString());
    }
}
