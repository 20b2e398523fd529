namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class CosineAnnealingWarmRestartsTests
{
    private static readonly double HalfSqrt2 = Math.Sqrt(2) / 2;

    [TestMethod]
    public void DoublingPeriodsRestartAtTenThirtySeventy()
    {
        // T_0 10, T_mult 2: periods [0, 10), [10, 30), [30, 70), [70, 150), [150, 310).
        var schedule = new CosineAnnealingWarmRestarts(1.0, 10, 2);

        RateAssert.Values(
            schedule,
            (0, 1.0),
            (5, 0.5),
            (10, 1.0),
            (15, (1 + HalfSqrt2) / 2),
            (20, 0.5),
            (25, (1 - HalfSqrt2) / 2),
            (30, 1.0),
            (50, 0.5),
            (70, 1.0),
            (110, 0.5),
            (150, 1.0),
            (230, 0.5));
        Assert.IsLessThan(0.01, schedule.GetLearningRate(29), "just before the restart at 30 the rate is near its minimum");
    }

    [TestMethod]
    public void EqualPeriodsRepeat()
    {
        RateAssert.Values(
            new CosineAnnealingWarmRestarts(0.1, 4, 1, 0.01),
            (0, 0.1),
            (2, 0.055),
            (4, 0.1),
            (6, 0.055),
            (1_000_000, 0.1),
            (1_000_002, 0.055));
    }

    [TestMethod]
    public void TriplingPeriodsRestartAtOneFourThirteenForty()
    {
        // T_0 1, T_mult 3: periods 1, 3, 9, 27 start at 0, 1, 4, 13, 40.
        var schedule = new CosineAnnealingWarmRestarts(2.0, 1, 3);

        RateAssert.Values(schedule, (0, 2.0), (1, 2.0), (4, 2.0), (13, 2.0), (40, 2.0), (7, 1.5), (22, 1.5), (31, 0.5));
    }

    [TestMethod]
    public void HugeCountsDoNotOverflow()
    {
        // With T_0 1 and T_mult 2 the periods start at 2ⁿ − 1, and long.MaxValue = 2⁶³ − 1 is one of them.
        var schedule = new CosineAnnealingWarmRestarts(1.0, 1, 2);

        RateAssert.Close(1.0, schedule.GetLearningRate(long.MaxValue));
        RateAssert.Close(1.0, schedule.GetLearningRate((1L << 62) - 1));
        RateAssert.Close(0.5, new CosineAnnealingWarmRestarts(1.0, 1L << 61, 2).GetLearningRate((1L << 61) + (1L << 61)));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-1", () => new CosineAnnealingWarmRestarts(-1, 10));
        RateAssert.OutOfRange("t0", "0", () => new CosineAnnealingWarmRestarts(1, 0));
        RateAssert.OutOfRange("tMult", "0", () => new CosineAnnealingWarmRestarts(1, 10, 0));
        RateAssert.OutOfRange("etaMin", "-0.5", () => new CosineAnnealingWarmRestarts(1, 10, 2, -0.5));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual(
            "CosineAnnealingWarmRestarts(0.1, t0: 10, tMult: 2, etaMin: 0)",
            new CosineAnnealingWarmRestarts(0.1, 10, 2).ToString());
    }
}
