namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class CosineAnnealingLRTests
{
    private static readonly double HalfSqrt2 = Math.Sqrt(2) / 2;

    [TestMethod]
    public void FollowsHalfACosineFromBaseToEtaMin()
    {
        // T_max 12 puts counts 3, 4, 6, 8 at π/4, π/3, π/2, 2π/3, where the cosine is known exactly.
        RateAssert.Values(
            new CosineAnnealingLR(1.0, 12, 0.1),
            (0, 1.0),
            (3, 0.1 + 0.9 * (1 + HalfSqrt2) / 2),
            (4, 0.775),
            (6, 0.55),
            (8, 0.325),
            (12, 0.1));
    }

    [TestMethod]
    public void ContinuesPastTMaxAsPyTorchsClosedFormDoes()
    {
        RateAssert.Values(new CosineAnnealingLR(1.0, 12, 0.1), (18, 0.55), (24, 1.0), (36, 0.1));
    }

    [TestMethod]
    public void DefaultEtaMinIsZero()
    {
        RateAssert.Values(new CosineAnnealingLR(0.2, 4), (0, 0.2), (2, 0.1), (4, 0));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-0.2", () => new CosineAnnealingLR(-0.2, 4));
        RateAssert.OutOfRange("tMax", "0", () => new CosineAnnealingLR(0.2, 0));
        RateAssert.OutOfRange("etaMin", "-0.001", () => new CosineAnnealingLR(0.2, 4, -0.001));
        RateAssert.OutOfRange("etaMin", "NaN", () => new CosineAnnealingLR(0.2, 4, double.NaN));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual("CosineAnnealingLR(0.2, tMax: 4, etaMin: 0.001)", new CosineAnnealingLR(0.2, 4, 0.001).ToString());
    }
}
