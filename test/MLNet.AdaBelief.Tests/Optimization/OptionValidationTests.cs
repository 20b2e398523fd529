using System.Globalization;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// Option and constructor argument checks: every out-of-range setting is rejected by the optimizer's constructor with
/// an exception that names the setting and quotes the value, the boundary values are accepted, and the options object
/// is neither modified nor kept.
/// </summary>
[TestClass]
public sealed class OptionValidationTests
{
    [TestMethod]
    [DataRow(nameof(AdaBeliefOptions.Beta1), -0.1)]
    [DataRow(nameof(AdaBeliefOptions.Beta1), 1.0)]
    [DataRow(nameof(AdaBeliefOptions.Beta1), 1.5)]
    [DataRow(nameof(AdaBeliefOptions.Beta1), double.NaN)]
    [DataRow(nameof(AdaBeliefOptions.Beta2), -0.1)]
    [DataRow(nameof(AdaBeliefOptions.Beta2), 1.0)]
    [DataRow(nameof(AdaBeliefOptions.Beta2), 1.5)]
    [DataRow(nameof(AdaBeliefOptions.Beta2), double.NaN)]
    [DataRow(nameof(AdaBeliefOptions.Epsilon), -1e-8)]
    [DataRow(nameof(AdaBeliefOptions.Epsilon), double.NaN)]
    [DataRow(nameof(AdaBeliefOptions.Epsilon), double.PositiveInfinity)]
    [DataRow(nameof(AdaBeliefOptions.WeightDecay), -0.01)]
    [DataRow(nameof(AdaBeliefOptions.WeightDecay), double.NaN)]
    [DataRow(nameof(AdaBeliefOptions.WeightDecay), double.PositiveInfinity)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipNorm), 0.0)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipNorm), -2.5)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipNorm), double.NaN)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipNorm), double.PositiveInfinity)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipValue), 0.0)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipValue), -2.5)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipValue), double.NaN)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipValue), double.PositiveInfinity)]
    public void OutOfRangeOption_ThrowsNamingOptionAndValue(string option, double value)
    {
        AdaBeliefOptions options = With(option, value);

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer(4, options));

        Assert.AreEqual(option, e.ParamName);
        Assert.Contains(value.ToString(CultureInfo.InvariantCulture), e.Message);
        Assert.AreEqual<object?>(value, e.ActualValue);

        // The multi-tensor constructor validates the same way.
        var multi = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer([2, 3], options));
        Assert.AreEqual(option, multi.ParamName);
    }

    [TestMethod]
    [DataRow(-1.0)]
    [DataRow(-1e-12)]
    [DataRow(double.NaN)]
    [DataRow(double.PositiveInfinity)]
    public void InvalidNumericLearningRate_ThrowsOnAssignmentAndLeavesOptionUnchanged(double rate)
    {
        // A number becomes a FixedLearningRate through the implicit conversion, whose constructor checks it: the
        // assignment itself throws, before any optimizer is built.
        var options = new AdaBeliefOptions();

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => { options.LearningRate = rate; });

        Assert.AreEqual("learningRate", e.ParamName);
        Assert.Contains(rate.ToString(CultureInfo.InvariantCulture), e.Message);
        Assert.AreEqual(AdaBeliefDefaults.LearningRate, options.LearningRate.BaseLearningRate);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateSchedule.FromDouble(rate));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new FixedLearningRate(rate));
    }

    [TestMethod]
    public void NullLearningRate_ThrowsArgumentNullNamingLearningRate()
    {
        var options = new AdaBeliefOptions { LearningRate = null! };

        var e = Assert.ThrowsExactly<ArgumentNullException>(() => new AdaBeliefOptimizer(3, options));

        Assert.AreEqual(nameof(AdaBeliefOptions.LearningRate), e.ParamName);
    }

    [TestMethod]
    public void ScheduleThatGivesNegativeRate_StepThrowsInvalidOperationAndChangesNothing()
    {
        // The only way past the conversion's check: a schedule of one's own. The step refuses the rate before
        // touching anything.
        var optimizer = new AdaBeliefOptimizer(5, new AdaBeliefOptions { LearningRate = new ConstantRate(-0.5) });
        float[] p = [1f, 2f, 3f, 4f, 5f];
        float[] start = (float[])p.Clone();
        float[] g = [0.5f, -0.5f, 0.25f, 1f, -2f];

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => optimizer.Step(p, g));

        Assert.Contains("-0.5", e.Message);
        CollectionAssert.AreEqual(start, p);
        Assert.AreEqual(0L, optimizer.StepCount);
        Assert.IsTrue(optimizer.ExportState().FirstMoment.ToArray().All(v => v == 0f));
    }

    [TestMethod]
    public void UndefinedScheduleUnit_ThrowsNamingOption()
    {
        var options = new AdaBeliefOptions { ScheduleUnit = (ScheduleUnit)99 };

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer(3, options));

        Assert.AreEqual(nameof(AdaBeliefOptions.ScheduleUnit), e.ParamName);
        Assert.Contains("99", e.Message);
    }

    [TestMethod]
    public void UndefinedNonFiniteGradientPolicy_ThrowsNamingOption()
    {
        var options = new AdaBeliefOptions { NonFiniteGradients = (NonFiniteGradientPolicy)99 };

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer(3, options));

        Assert.AreEqual(nameof(AdaBeliefOptions.NonFiniteGradients), e.ParamName);
        Assert.Contains("99", e.Message);
    }

    [TestMethod]
    public void Beta1ZeroWithEpsilonZero_ThrowsNamingEpsilon()
    {
        // β₁ = 0 makes m = g, so (g − m)² = 0 and ε alone keeps the denominator off zero.
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => new AdaBeliefOptimizer(3, new AdaBeliefOptions { Beta1 = 0, Epsilon = 0 }));
        Assert.AreEqual(nameof(AdaBeliefOptions.Epsilon), e.ParamName);
        Assert.Contains("Beta1", e.Message);
    }

    [TestMethod]
    [DataRow(nameof(AdaBeliefOptions.Beta1), 0.0)]
    [DataRow(nameof(AdaBeliefOptions.Beta2), 0.0)]
    [DataRow(nameof(AdaBeliefOptions.Epsilon), 0.0)]
    [DataRow(nameof(AdaBeliefOptions.WeightDecay), 0.0)]
    [DataRow(nameof(AdaBeliefOptions.Beta1), 0.999999)]
    [DataRow(nameof(AdaBeliefOptions.Beta2), 0.999999)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipNorm), 1e-30)]
    [DataRow(nameof(AdaBeliefOptions.GradientClipValue), 1e-30)]
    public void BoundaryOption_IsAcceptedAndStepsToFiniteValues(string option, double value)
    {
        AdaBeliefOptions options = With(option, value);
        options.LearningRate = 1e-2;
        options.WeightDecay = option == nameof(AdaBeliefOptions.WeightDecay) ? value : 0.01;

        var optimizer = new AdaBeliefOptimizer(6, options);
        float[] p = [0.5f, -0.5f, 1f, -1f, 2f, 0.25f];
        float[] start = (float[])p.Clone();
        for (int i = 0; i < 5; i++)
            Assert.IsTrue(optimizer.Step(p, [1f, -0.5f, 0.25f, 2f, -1f, 0.75f]));

        Assert.AreEqual(5L, optimizer.StepCount);
        Assert.IsTrue(p.All(float.IsFinite), string.Join(", ", p));
        for (int i = 0; i < p.Length; i++)
            Assert.AreNotEqual(start[i], p[i], $"element {i} did not move");
        AdaBeliefOptions kept = optimizer.Options;
        Assert.AreEqual(options.Beta1, kept.Beta1);
        Assert.AreEqual(options.Beta2, kept.Beta2);
        Assert.AreEqual(options.Epsilon, kept.Epsilon);
        Assert.AreEqual(options.GradientClipNorm, kept.GradientClipNorm);
        Assert.AreEqual(options.GradientClipValue, kept.GradientClipValue);
    }

    [TestMethod]
    public void ZeroLearningRate_IsAccepted()
    {
        var optimizer = new AdaBeliefOptimizer(3, new AdaBeliefOptions { LearningRate = 0.0 });
        float[] p = [1f, -2f, 3f];
        float[] start = (float[])p.Clone();

        Assert.IsTrue(optimizer.Step(p, [0.5f, 0.5f, -0.5f]));

        Assert.AreEqual(0.0, optimizer.CurrentLearningRate);
        CollectionAssert.AreEqual(start, p);
        Assert.AreEqual(1L, optimizer.StepCount);
    }

    [TestMethod]
    public void NegativeParameterCount_ThrowsNamingArgument()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer(-1));

        Assert.AreEqual("parameterCount", e.ParamName);
        Assert.Contains("-1", e.Message);
    }

    [TestMethod]
    public void EmptyTensorList_ThrowsArgumentExceptionNamingArgument()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new AdaBeliefOptimizer(Array.Empty<int>()));

        Assert.AreEqual("tensorLengths", e.ParamName);
    }

    [TestMethod]
    public void NullTensorList_ThrowsArgumentNullNamingArgument()
    {
        var e = Assert.ThrowsExactly<ArgumentNullException>(() => new AdaBeliefOptimizer((IReadOnlyList<int>)null!));

        Assert.AreEqual("tensorLengths", e.ParamName);
    }

    [TestMethod]
    public void NegativeTensorLength_ThrowsNamingArgumentAndValue()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdaBeliefOptimizer([3, -7, 2]));

        Assert.AreEqual("tensorLengths", e.ParamName);
        Assert.Contains("-7", e.Message);
    }

    [TestMethod]
    public void TensorLengthsBeyondOneArray_ThrowsArgumentException()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new AdaBeliefOptimizer([int.MaxValue, int.MaxValue]));

        Assert.AreEqual("tensorLengths", e.ParamName);
    }

    [TestMethod]
    public void Constructor_DoesNotModifyOptions()
    {
        var schedule = new FixedLearningRate(0.02);
        AdaBeliefOptions options = NonDefaultOptions(schedule);

        _ = new AdaBeliefOptimizer([5, 9], options);

        Assert.AreSame(schedule, options.LearningRate);
        AssertSameSettings(NonDefaultOptions(schedule), options);
    }

    [TestMethod]
    public void OptionsChangedAfterConstruction_DoNotChangeBehaviour()
    {
        var schedule = new FixedLearningRate(0.02);
        AdaBeliefOptions options = NonDefaultOptions(schedule);
        var changed = new AdaBeliefOptimizer([5, 9], options);
        var untouched = new AdaBeliefOptimizer([5, 9], NonDefaultOptions(schedule));

        options.LearningRate = 0.5;
        options.ScheduleUnit = ScheduleUnit.Epoch;
        options.Beta1 = 0.5;
        options.Beta2 = 0.5;
        options.Epsilon = 0.1;
        options.WeightDecay = 0.5;
        options.DecoupledWeightDecay = !options.DecoupledWeightDecay;
        options.GradientClipNorm = null;
        options.GradientClipValue = null;
        options.Amsgrad = !options.Amsgrad;
        options.Rectify = !options.Rectify;
        options.Nesterov = !options.Nesterov;
        options.NonFiniteGradients = NonFiniteGradientPolicy.Throw;

        // The options the optimizer hands out are a copy as well.
        AdaBeliefOptions handedOut = changed.Options;
        handedOut.Beta1 = 0.1;
        handedOut.Amsgrad = false;
        Assert.AreEqual(0.8, changed.Options.Beta1);
        Assert.IsTrue(changed.Options.Amsgrad);

        var random = new Random(11);
        float[] p0 = KernelAgreementTests.RandomArray(random, 5, 1f), p1 = KernelAgreementTests.RandomArray(random, 9, 1f);
        float[] q0 = (float[])p0.Clone(), q1 = (float[])p1.Clone();
        for (int step = 0; step < 12; step++)
        {
            float[] g0 = KernelAgreementTests.RandomGradient(random, 5), g1 = KernelAgreementTests.RandomGradient(random, 9);
            Assert.IsTrue(changed.Step(p0, g0, p1, g1));
            Assert.IsTrue(untouched.Step(q0, g0, q1, g1));
        }

        BitwiseAssert.AreEqual(q0, p0, "tensor 0");
        BitwiseAssert.AreEqual(q1, p1, "tensor 1");
        BitwiseAssert.StatesEqual(untouched.ExportState(), changed.ExportState(), "state");
        Assert.AreEqual(untouched.CurrentLearningRate, changed.CurrentLearningRate);
    }

    private static AdaBeliefOptions NonDefaultOptions(LearningRateSchedule schedule) => new()
    {
        LearningRate = schedule,
        ScheduleUnit = ScheduleUnit.Step,
        Beta1 = 0.8,
        Beta2 = 0.95,
        Epsilon = 1e-7,
        WeightDecay = 0.03,
        DecoupledWeightDecay = false,
        GradientClipNorm = 0.7,
        GradientClipValue = 0.4,
        Amsgrad = true,
        Rectify = true,
        Nesterov = true,
        NonFiniteGradients = NonFiniteGradientPolicy.SkipStep,
    };

    private static void AssertSameSettings(AdaBeliefOptions expected, AdaBeliefOptions actual)
    {
        Assert.AreSame(expected.LearningRate, actual.LearningRate);
        Assert.AreEqual(expected.ScheduleUnit, actual.ScheduleUnit);
        Assert.AreEqual(expected.Beta1, actual.Beta1);
        Assert.AreEqual(expected.Beta2, actual.Beta2);
        Assert.AreEqual(expected.Epsilon, actual.Epsilon);
        Assert.AreEqual(expected.WeightDecay, actual.WeightDecay);
        Assert.AreEqual(expected.DecoupledWeightDecay, actual.DecoupledWeightDecay);
        Assert.AreEqual(expected.GradientClipNorm, actual.GradientClipNorm);
        Assert.AreEqual(expected.GradientClipValue, actual.GradientClipValue);
        Assert.AreEqual(expected.Amsgrad, actual.Amsgrad);
        Assert.AreEqual(expected.Rectify, actual.Rectify);
        Assert.AreEqual(expected.Nesterov, actual.Nesterov);
        Assert.AreEqual(expected.NonFiniteGradients, actual.NonFiniteGradients);
    }

    private static AdaBeliefOptions With(string option, double value)
    {
        var options = new AdaBeliefOptions();
        switch (option)
        {
            case nameof(AdaBeliefOptions.Beta1): options.Beta1 = value; break;
            case nameof(AdaBeliefOptions.Beta2): options.Beta2 = value; break;
            case nameof(AdaBeliefOptions.Epsilon): options.Epsilon = value; break;
            case nameof(AdaBeliefOptions.WeightDecay): options.WeightDecay = value; break;
            case nameof(AdaBeliefOptions.GradientClipNorm): options.GradientClipNorm = value; break;
            case nameof(AdaBeliefOptions.GradientClipValue): options.GradientClipValue = value; break;
            default: throw new ArgumentException($"Unknown option {option}.", nameof(option));
        }

        return options;
    }

    /// <summary>A schedule that bypasses FixedLearningRate's check, to reach the optimizer's own.</summary>
    private sealed class ConstantRate(double rate) : LearningRateSchedule
    {
        public override double BaseLearningRate => rate;

        public override double GetLearningRate(long count) => rate;

        public override string ToString() => rate.ToString(CultureInfo.InvariantCulture);
    }
}
