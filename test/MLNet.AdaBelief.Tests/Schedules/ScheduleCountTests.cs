namespace MLNet.AdaBelief.Tests.Schedules;

/// <summary>Properties every schedule shares.</summary>
[TestClass]
public sealed class ScheduleCountTests
{
    private static IEnumerable<LearningRateSchedule> AllSchedules()
    {
        yield return new FixedLearningRate(0.1);
        yield return new StepLR(0.1, 3);
        yield return new MultiStepLR(0.1, [3, 5]);
        yield return new ExponentialLR(0.1, 0.9);
        yield return new CosineAnnealingLR(0.1, 10);
        yield return new CosineAnnealingWarmRestarts(0.1, 10, 2);
        yield return new PolynomialLR(0.1);
        yield return new LinearLR(0.1);
        yield return new ConstantLR(0.1);
        yield return new Warmup(0.1, 5);
        yield return new WarmupCosine(0.1, 5, 20);
        yield return new OneCycleLR(0.1, 100);
        yield return new CyclicLR(0.01, 0.1, 5);
        yield return new PiecewiseConstant([5], [0.1, 0.01]);
        yield return new Sequential([new Warmup(0.1, 5), new CosineAnnealingLR(0.1, 10)], [5]);
        yield return new Chained(new ConstantLR(0.1), new ExponentialLR(1.0, 0.9));
        yield return new ReduceLROnPlateau(0.1);
    }

    [TestMethod]
    public void NegativeCountsAreRejected()
    {
        foreach (var schedule in AllSchedules())
        {
            var exception = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => schedule.GetLearningRate(-1), schedule.ToString());
            Assert.AreEqual("count", exception.ParamName, schedule.ToString());
            Assert.Contains("-1", exception.Message, schedule.ToString());
        }
    }

    [TestMethod]
    public void RatesAreFiniteAndNotNegativeOverTheFirstHundredCounts()
    {
        foreach (var schedule in AllSchedules())
        {
            for (long count = 0; count <= 100; count++)
            {
                var rate = schedule.GetLearningRate(count);
                Assert.IsTrue(double.IsFinite(rate) && rate >= 0, $"{schedule} at {count}: {rate}");
            }
        }
    }

    [TestMethod]
    public void TheSameCountGivesTheSameRate()
    {
        foreach (var schedule in AllSchedules())
        {
            var first = Enumerable.Range(0, 50).Select(c => schedule.GetLearningRate(c)).ToArray();
            var second = Enumerable.Range(0, 50).Reverse().Select(c => schedule.GetLearningRate(c)).Reverse().ToArray();
            CollectionAssert.AreEqual(first, second, schedule.ToString());
        }
    }
}
