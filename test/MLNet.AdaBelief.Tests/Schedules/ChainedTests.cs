namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class ChainedTests
{
    [TestMethod]
    public void PyTorchDocumentationExample()
    {
        // torch ChainedScheduler docs: lr 1, ConstantLR(factor 0.1, total_iters 2) and ExponentialLR(gamma 0.9).
        // The listing in that docstring is off at the start (it gives 0.09 for epoch 0). Stepping this construction,
        // PyTorch sets 0.1, 0.09, 0.81, 0.729, 0.6561: at each count, the product of the two schedules' factors,
        // which is what is expected here.
        var schedule = new Chained(new ConstantLR(1.0, 0.1, 2), new ExponentialLR(1.0, 0.9));

        RateAssert.Values(
            schedule,
            (0, 0.1 * 1.0),
            (1, 0.1 * 0.9),
            (2, 1.0 * 0.81),
            (3, 1.0 * 0.729),
            (4, 1.0 * 0.6561));
    }

    [TestMethod]
    public void LaterSchedulesContributeOnlyTheirFactor()
    {
        // The first schedule's rate, times 3 · 0.5^t / 3 from the second.
        var schedule = new Chained([new StepLR(0.5, 2, 0.1), new ExponentialLR(3.0, 0.5)]);

        RateAssert.Values(schedule, (0, 0.5), (1, 0.25), (2, 0.05 * 0.25), (3, 0.05 * 0.125));
        Assert.AreEqual(0.5, schedule.BaseLearningRate);
    }

    [TestMethod]
    public void OneScheduleIsItself()
    {
        RateAssert.Values(new Chained(new StepLR(0.001, 30, 0.5)), (0, 0.001), (30, 0.0005));
    }

    [TestMethod]
    public void ChainsOfChainsMultiply()
    {
        var inner = new Chained(new ConstantLR(1.0, 0.5, 3), new ExponentialLR(1.0, 0.5));
        var outer = new Chained(inner, new StepLR(2.0, 1, 0.5));

        RateAssert.Values(outer, (0, 0.5), (1, 0.5 * 0.5 * 0.5), (3, 1.0 * 0.125 * 0.125));
    }

    [TestMethod]
    public void CallerArrayIsCopied()
    {
        LearningRateSchedule[] schedules = [new FixedLearningRate(1.0), new ExponentialLR(1.0, 0.5)];
        var schedule = new Chained(schedules);

        schedules[1] = new ExponentialLR(1.0, 0.1);

        RateAssert.Values(schedule, (2, 0.25));
    }

    [TestMethod]
    public void RejectsReduceLROnPlateau()
    {
        var exception = Assert.ThrowsExactly<ArgumentException>(() => new Chained(new ReduceLROnPlateau(0.1), new ExponentialLR(1.0, 0.9)));

        Assert.AreEqual("schedules", exception.ParamName);
        Assert.Contains("on its own", exception.Message);
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("schedules", "0", () => new Chained(new StepLR(1.0, 2), new ExponentialLR(0, 0.5)));
        Assert.AreEqual("schedules", Assert.ThrowsExactly<ArgumentException>(() => new Chained()).ParamName);
        Assert.AreEqual("schedules", Assert.ThrowsExactly<ArgumentException>(() => new Chained(new StepLR(1.0, 2), null!)).ParamName);
        Assert.AreEqual("schedules", Assert.ThrowsExactly<ArgumentNullException>(() => new Chained((IEnumerable<LearningRateSchedule>)null!)).ParamName);
        // A first schedule with base 0 is allowed: it gives the rate rather than a factor.
        RateAssert.Values(new Chained(new FixedLearningRate(0), new ExponentialLR(1.0, 0.5)), (1, 0));
    }

    [TestMethod]
    public void ToStringShowsTheParts()
    {
        Assert.AreEqual(
            "Chained(ConstantLR(1, factor: 0.1, totalIters: 2), ExponentialLR(1, gamma: 0.9))",
            new Chained(new ConstantLR(1.0, 0.1, 2), new ExponentialLR(1.0, 0.9)).ToString());
    }
}
