namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class WarmupTests
{
    [TestMethod]
    public void RisesLinearlyFromTheStartRate()
    {
        RateAssert.Values(new Warmup(0.1, 10, 0.01), (0, 0.01), (5, 0.055), (9, 0.091), (10, 0.1), (100, 0.1));
    }

    [TestMethod]
    public void StartsFromZeroByDefault()
    {
        RateAssert.Values(new Warmup(0.2, 4), (0, 0), (1, 0.05), (3, 0.15), (4, 0.2));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-0.2", () => new Warmup(-0.2, 4));
        RateAssert.OutOfRange("warmupCount", "0", () => new Warmup(0.2, 0));
        RateAssert.OutOfRange("startLearningRate", "-0.01", () => new Warmup(0.2, 4, -0.01));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("Warmup(0.1, warmupCount: 10, startLearningRate: 0.01)", new Warmup(0.1, 10, 0.01).ToString());
    }
}
