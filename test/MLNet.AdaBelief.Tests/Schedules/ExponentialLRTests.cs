namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class ExponentialLRTests
{
    [TestMethod]
    public void MultipliesByGammaEveryCount()
    {
        RateAssert.Values(
            new ExponentialLR(0.1, 0.9),
            (0, 0.1),
            (1, 0.09),
            (2, 0.081),
            (3, 0.0729),
            (10, 0.1 * 0.3486784401));
    }

    [TestMethod]
    public void GammaZeroKeepsOnlyTheFirstCount()
    {
        // 0⁰ = 1, as in Python.
        RateAssert.Values(new ExponentialLR(0.5, 0), (0, 0.5), (1, 0), (7, 0));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "Infinity", () => new ExponentialLR(double.PositiveInfinity, 0.9));
        RateAssert.OutOfRange("gamma", "-0.9", () => new ExponentialLR(0.1, -0.9));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("ExponentialLR(0.1, gamma: 0.9)", new ExponentialLR(0.1, 0.9).ToString());
    }
}
