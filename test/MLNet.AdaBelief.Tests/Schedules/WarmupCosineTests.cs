namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class WarmupCosineTests
{
    [TestMethod]
    public void RisesLinearlyThenAnneals()
    {
        // Warm-up 10, total 22: the cosine spans 12 counts, so counts 14, 16, 18 sit at π/3, π/2, 2π/3.
        RateAssert.Values(
            new WarmupCosine(1.0, 10, 22, 0.1),
            (0, 0),
            (1, 0.1),
            (5, 0.5),
            (9, 0.9),
            (10, 1.0),
            (14, 0.775),
            (16, 0.55),
            (18, 0.325),
            (22, 0.1),
            (23, 0.1),
            (1_000, 0.1));
    }

    [TestMethod]
    public void ZeroWarmupIsCosineAnnealingThatStops()
    {
        RateAssert.Values(new WarmupCosine(0.2, 0, 4), (0, 0.2), (2, 0.1), (4, 0), (6, 0), (8, 0));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new WarmupCosine(-1, 1, 10));
        RateAssert.OutOfRange("warmupCount", "-1", () => new WarmupCosine(1, -1, 10));
        RateAssert.OutOfRange("totalCount", "0", () => new WarmupCosine(1, 0, 0));
        RateAssert.OutOfRange("warmupCount", "10", () => new WarmupCosine(1, 10, 10));
        RateAssert.OutOfRange("warmupCount", "11", () => new WarmupCosine(1, 11, 10));
        RateAssert.OutOfRange("etaMin", "-0.1", () => new WarmupCosine(1, 1, 10, -0.1));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("WarmupCosine(1, warmupCount: 10, totalCount: 22, etaMin: 0.1)", new WarmupCosine(1.0, 10, 22, 0.1).ToString());
    }
}
