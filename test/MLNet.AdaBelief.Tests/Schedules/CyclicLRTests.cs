namespace MLNet.AdaBelief.Tests.Schedules;

[TestClass]
public sealed class CyclicLRTests
{
    [TestMethod]
    public void TriangularCyclesBetweenBaseAndMax()
    {
        RateAssert.Values(
            new CyclicLR(0.001, 0.006, 4),
            (0, 0.001),
            (1, 0.00225),
            (2, 0.0035),
            (4, 0.006),
            (6, 0.0035),
            (8, 0.001),
            (12, 0.006),
            (8004, 0.006));
    }

    [TestMethod]
    public void Triangular2HalvesTheAmplitudeEachCycle()
    {
        // Cycles of 8 counts; amplitude 0.005, then 0.0025, then 0.00125.
        RateAssert.Values(
            new CyclicLR(0.001, 0.006, 4, mode: CyclicMode.Triangular2),
            (4, 0.006),
            (8, 0.001),
            (12, 0.0035),
            (18, 0.001 + 0.00125 / 2),
            (20, 0.00225),
            (28, 0.001 + 0.000625));
    }

    [TestMethod]
    public void ExpRangeScalesTheAmplitudeByGammaToTheCount()
    {
        RateAssert.Values(
            new CyclicLR(0.001, 0.006, 4, mode: CyclicMode.ExpRange, gamma: 0.9),
            (0, 0.001),
            (2, 0.001 + 0.0025 * 0.81),
            (4, 0.001 + 0.005 * 0.6561),
            (12, 0.001 + 0.005 * 0.282429536481));
    }

    [TestMethod]
    public void AsymmetricSteps()
    {
        // Up 2, down 6: the top at 2, half-way down at 5.
        RateAssert.Values(new CyclicLR(0.001, 0.006, 2, 6), (1, 0.0035), (2, 0.006), (5, 0.0035), (8, 0.001), (10, 0.006));
    }

    [TestMethod]
    public void ZeroStepsDownIsASawtooth()
    {
        RateAssert.Values(new CyclicLR(0.001, 0.006, 4, 0), (0, 0.001), (3, 0.00475), (4, 0.001), (7, 0.00475));
    }

    [TestMethod]
    public void DefaultStepSizeIsTwoThousand()
    {
        RateAssert.Values(new CyclicLR(0.001, 0.006), (1000, 0.0035), (2000, 0.006), (4000, 0.001));
    }

    [TestMethod]
    public void InvalidArgumentsAreRejected()
    {
        RateAssert.OutOfRange("baseLearningRate", "-0.001", () => new CyclicLR(-0.001, 0.006));
        RateAssert.OutOfRange("maxLearningRate", "NaN", () => new CyclicLR(0.001, double.NaN));
        RateAssert.OutOfRange("stepSizeUp", "0", () => new CyclicLR(0.001, 0.006, 0));
        RateAssert.OutOfRange("stepSizeDown", "-1", () => new CyclicLR(0.001, 0.006, 4, -1));
        RateAssert.OutOfRange("mode", "3", () => new CyclicLR(0.001, 0.006, 4, mode: (CyclicMode)3));
        RateAssert.OutOfRange("gamma", "-0.9", () => new CyclicLR(0.001, 0.006, 4, gamma: -0.9));
    }

    [TestMethod]
    public void ToStringShowsTheArguments()
    {
        Assert.AreEqual(
            "CyclicLR(0.001, maxLearningRate: 0.006, stepSizeUp: 4, stepSizeDown: 4, mode: Triangular2, gamma: 1)",
            new CyclicLR(0.001, 0.006, 4, mode: CyclicMode.Triangular2).ToString());
    }
}
