namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class PolynomialLRTests
{
    [TestMethod]
    public void PyTorchDocumentationExample()
    {
        // torch PolynomialLR docs: lr 0.001, total_iters 4, power 1.
        RateAssert.Values(
            new PolynomialLR(0.001, 4, 1.0),
            (0, 0.001),
            (1, 0.00075),
            (2, 0.0005),
            (3, 0.00025),
            (4, 0),
            (40, 0));
    }

    [TestMethod]
    public void QuadraticDecay()
    {
        RateAssert.Values(new PolynomialLR(0.1, 4, 2), (0, 0.1), (1, 0.05625), (2, 0.025), (3, 0.00625), (4, 0), (9, 0));
    }

    [TestMethod]
    public void DefaultsAreFiveItersLinear()
    {
        RateAssert.Values(new PolynomialLR(1.0), (1, 0.8), (4, 0.2), (5, 0));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new PolynomialLR(-1));
        RateAssert.OutOfRange("totalIters", "0", () => new PolynomialLR(1, 0));
        RateAssert.OutOfRange("power", "-2", () => new PolynomialLR(1, 5, -2));
        RateAssert.OutOfRange("power", "NaN", () => new PolynomialLR(1, 5, double.NaN));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("PolynomialLR(0.1, totalIters: 4, power: 2)", new PolynomialLR(0.1, 4, 2).ToString());
    }
}
