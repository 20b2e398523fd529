namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class FixedLearningRateTests
{
    [TestMethod]
    public void ImplicitConversionGivesAConstantSchedule()
    {
        LearningRateSchedule schedule = 0.01;

        Assert.IsInstanceOfType<FixedLearningRate>(schedule);
        RateAssert.Values(schedule, (0, 0.01), (1_000_000, 0.01));
        Assert.AreEqual(0.01, schedule.BaseLearningRate);
        Assert.AreEqual("0.01", schedule.ToString());
    }

    [TestMethod]
    public void ZeroIsAllowed()
    {
        LearningRateSchedule schedule = 0.0;

        Assert.AreEqual(0.0, schedule.GetLearningRate(3));
    }

    [TestMethod]
    public void NegativeOrNonFiniteRatesAreRejected()
    {
        RateAssert.OutOfRange("learningRate", "-0.01", () => { LearningRateSchedule s = -0.01; return s; });
        RateAssert.OutOfRange("learningRate", "NaN", () => { LearningRateSchedule s = double.NaN; return s; });
        RateAssert.OutOfRange("learningRate", "Infinity", () => LearningRateSchedule.FromDouble(double.PositiveInfinity));
    }
}
