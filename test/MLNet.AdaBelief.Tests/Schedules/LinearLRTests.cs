namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class LinearLRTests
{
    [TestMethod]
    public void PyTorchDocumentationExample()
    {
        // torch LinearLR docs: lr 0.05, start_factor 0.5, total_iters 4.
        RateAssert.Values(
            new LinearLR(0.05, 0.5, totalIters: 4),
            (0, 0.025),
            (1, 0.03125),
            (2, 0.0375),
            (3, 0.04375),
            (4, 0.05),
            (100, 0.05));
    }

    [TestMethod]
    public void DefaultsRiseFromAThirdOverFiveCounts()
    {
        // 0.3 · (1/3 + (2/3) · 2/5) = 0.3 · 3/5.
        RateAssert.Values(new LinearLR(0.3), (0, 0.1), (2, 0.18), (5, 0.3), (6, 0.3));
    }

    [TestMethod]
    public void CanDecrease()
    {
        RateAssert.Values(new LinearLR(1.0, 1.0, 0.5, 10), (0, 1.0), (4, 0.8), (10, 0.5), (20, 0.5));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new LinearLR(-1));
        RateAssert.OutOfRange("startFactor", "0", () => new LinearLR(1, 0));
        RateAssert.OutOfRange("startFactor", "1.5", () => new LinearLR(1, 1.5));
        RateAssert.OutOfRange("endFactor", "-0.1", () => new LinearLR(1, 0.5, -0.1));
        RateAssert.OutOfRange("endFactor", "1.1", () => new LinearLR(1, 0.5, 1.1));
        RateAssert.OutOfRange("totalIters", "0", () => new LinearLR(1, 0.5, 1, 0));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("LinearLR(0.05, startFactor: 0.5, endFactor: 1, totalIters: 4)", new LinearLR(0.05, 0.5, totalIters: 4).ToString());
    }
}
