namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class ConstantLRTests
{
    [TestMethod]
    public void PyTorchDocumentationExample()
    {
        // torch ConstantLR docs: lr 0.05, factor 0.5, total_iters 4.
        RateAssert.Values(new ConstantLR(0.05, 0.5, 4), (0, 0.025), (3, 0.025), (4, 0.05), (1_000, 0.05));
    }

    [TestMethod]
    public void DefaultsScaleByAThirdForFiveCounts()
    {
        RateAssert.Values(new ConstantLR(0.3), (0, 0.1), (4, 0.1), (5, 0.3));
    }

    [TestMethod]
    public void ZeroTotalItersNeverScales()
    {
        RateAssert.Values(new ConstantLR(0.3, 0.5, 0), (0, 0.3), (1, 0.3));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new ConstantLR(-1));
        RateAssert.OutOfRange("factor", "1.5", () => new ConstantLR(1, 1.5));
        RateAssert.OutOfRange("factor", "-0.5", () => new ConstantLR(1, -0.5));
        RateAssert.OutOfRange("totalIters", "-1", () => new ConstantLR(1, 0.5, -1));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("ConstantLR(0.05, factor: 0.5, totalIters: 4)", new ConstantLR(0.05, 0.5, 4).ToString());
    }
}
