namespace MLNet.AdaBelief.Tests.Schedules;

/// <summary>A shape builds its schedule for any run length; horizons say how long a schedule is shaped for.</summary>
[TestClass]
public sealed class ScheduleShapeTests
{
    public static IEnumerable<object[]> Shapes =>
    [
        [ScheduleShape.Cosine(0.1)],
        [ScheduleShape.OneCycle(0.1)],
        [ScheduleShape.WarmupCosine(0.1)],
        [ScheduleShape.Polynomial(0.1, 2)],
        [ScheduleShape.Linear(0.1)],
        [ScheduleShape.Constant(0.1)],
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void Size_GivesASchedule_CoveringEveryCountOfTheRun(ScheduleShape shape)
    {
        foreach (long total in new long[] { 1, 2, 7, 3000 })
        {
            LearningRateSchedule schedule = shape.Size(total);

            if (schedule.Horizon is { } horizon)
                Assert.AreEqual(total, horizon, $"{shape}, {total} counts");
            for (long count = 0; count < total; count += Math.Max(1, total / 50))
                Assert.IsTrue(double.IsFinite(schedule.GetLearningRate(count)) && schedule.GetLearningRate(count) >= 0, $"{shape} at {count} of {total}");
            Assert.IsTrue(double.IsFinite(schedule.GetLearningRate(total - 1)));
        }
    }

    [TestMethod]
    public void Sizes_MatchTheHandSizedSchedules()
    {
        SameRates(new CosineAnnealingLR(0.1, 500), ScheduleShape.Cosine(0.1).Size(500));
        SameRates(new OneCycleLR(0.1, 500), ScheduleShape.OneCycle(0.1).Size(500));
        SameRates(new WarmupCosine(0.1, 25, 500), ScheduleShape.WarmupCosine(0.1, 0.05).Size(500));
        SameRates(new PolynomialLR(0.1, 500, 2), ScheduleShape.Polynomial(0.1, 2).Size(500));
        SameRates(new LinearLR(0.1, 1, 0, 500), ScheduleShape.Linear(0.1).Size(500));
    }

    private static void SameRates(LearningRateSchedule expected, LearningRateSchedule actual)
    {
        for (long count = 0; count < 500; count++)
            Assert.AreEqual(expected.GetLearningRate(count), actual.GetLearningRate(count), $"{actual} at {count}");
    }

    [TestMethod]
    public void Cosine_ReachesNearZeroAtTheLastStep_AndStartsAtThePeak()
    {
        LearningRateSchedule schedule = ScheduleShape.Cosine(0.2).Size(1000);

        Assert.AreEqual(0.2, schedule.GetLearningRate(0));
        Assert.IsLessThan(1e-5, schedule.GetLearningRate(999));
    }

    [TestMethod]
    public void CustomShape_TooShortForTheRun_Throws()
    {
        var shape = new ScheduleShape(total => new OneCycleLR(0.1, total / 2), "half a cycle");

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => shape.Size(100));

        Assert.Contains("half a cycle", e.Message);
        Assert.Contains("100", e.Message);
    }

    [TestMethod]
    public void CustomShape_OfAComposite_IsSized()
    {
        var shape = new ScheduleShape(total => new Sequential([new LinearLR(0.1, 0.1, 1, total / 10), new CosineAnnealingLR(0.1, total - total / 10)], [total / 10]));

        LearningRateSchedule schedule = shape.Size(1000);

        Assert.AreEqual(1000L, schedule.Horizon);
        Assert.AreEqual(0.01, schedule.GetLearningRate(0), 1e-12);
    }

    [TestMethod]
    public void Size_OfZero_IsRejected() =>
        Assert.AreEqual("totalCount", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScheduleShape.Cosine(0.1).Size(0)).ParamName);

    [TestMethod]
    public void BadArguments_FailWhenTheShapeIsMade()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScheduleShape.OneCycle(0.1, pctStart: 1.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScheduleShape.WarmupCosine(0.1, warmupFraction: 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScheduleShape.Linear(0.1, startFactor: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ScheduleShape.Cosine(-1));
    }

    [TestMethod]
    public void Horizons_OfTheSchedulesThatEnd()
    {
        Assert.AreEqual(50L, new OneCycleLR(0.1, 50).Horizon);
        Assert.AreEqual(60L, new CosineAnnealingLR(0.1, 60).Horizon);
        Assert.AreEqual(70L, new PolynomialLR(0.1, 70).Horizon);
        Assert.AreEqual(80L, new WarmupCosine(0.1, 5, 80).Horizon);
        Assert.IsNull(new FixedLearningRate(0.1).Horizon);
        Assert.IsNull(new LinearLR(0.1, 0.5, 1, 10).Horizon, "LinearLR holds its end factor: it does not end");
        Assert.IsNull(new StepLR(0.1, 10).Horizon);
        Assert.AreEqual(110L, new Sequential([new LinearLR(0.1), new CosineAnnealingLR(0.1, 100)], [10]).Horizon);
        Assert.IsNull(new Sequential([new CosineAnnealingLR(0.1, 100), new FixedLearningRate(0.01)], [100]).Horizon);
        Assert.AreEqual(100L, new Chained(new OneCycleLR(0.1, 100), new StepLR(0.1, 10)).Horizon);
    }
}
