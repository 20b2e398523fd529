namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class PiecewiseConstantTests
{
    [TestMethod]
    public void EachValueTakesEffectAtItsBoundary()
    {
        var schedule = new PiecewiseConstant([10, 20], [0.1, 0.01, 0.001]);

        RateAssert.Values(schedule, (0, 0.1), (9, 0.1), (10, 0.01), (19, 0.01), (20, 0.001), (1_000_000, 0.001));
        Assert.AreEqual(0.1, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void BoundaryAtZeroReplacesTheFirstValueImmediately()
    {
        var schedule = new PiecewiseConstant([0], [1.0, 2.0]);

        RateAssert.Values(schedule, (0, 2.0), (5, 2.0));
        Assert.AreEqual(1.0, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void NoBoundariesIsConstant()
    {
        RateAssert.Values(new PiecewiseConstant([], [0.5]), (0, 0.5), (99, 0.5));
    }

    [TestMethod]
    public void CallerArraysAreCopied()
    {
        long[] boundaries = [10, 20];
        double[] values = [0.1, 0.01, 0.001];
        var schedule = new PiecewiseConstant(boundaries, values);

        boundaries[0] = 1;
        values[1] = 42;

        RateAssert.Values(schedule, (5, 0.1), (10, 0.01), (20, 0.001));
        RateAssert.Rates(schedule.Values, 0.1, 0.01, 0.001);
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("boundaries", "-1", () => new PiecewiseConstant([-1], [1, 2]));
        RateAssert.OutOfRange("boundaries", "10", () => new PiecewiseConstant([10, 10], [1, 2, 3]));
        RateAssert.OutOfRange("boundaries", "5", () => new PiecewiseConstant([10, 5], [1, 2, 3]));
        RateAssert.OutOfRange("values", "-2", () => new PiecewiseConstant([10], [1, -2]));
        RateAssert.OutOfRange("values", "NaN", () => new PiecewiseConstant([10], [double.NaN, 1]));
        RateAssert.OutOfRange("values", "Infinity", () => new PiecewiseConstant([10], [1, double.PositiveInfinity]));

        var wrongCount = Assert.ThrowsExactly<ArgumentException>(() => new PiecewiseConstant([10, 20], [1, 2]));
        Assert.AreEqual("values", wrongCount.ParamName);
        Assert.AreEqual("values", Assert.ThrowsExactly<ArgumentException>(() => new PiecewiseConstant([], [])).ParamName);
        Assert.AreEqual("boundaries", Assert.ThrowsExactly<ArgumentNullException>(() => new PiecewiseConstant(null!, [1])).ParamName);
        Assert.AreEqual("values", Assert.ThrowsExactly<ArgumentNullException>(() => new PiecewiseConstant([], null!)).ParamName);
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual(
            "PiecewiseConstant(boundaries: [10, 20], values: [0.1, 0.01, 0.001])",
            new PiecewiseConstant([10, 20], [0.1, 0.01, 0.001]).ToString());
    }
}
