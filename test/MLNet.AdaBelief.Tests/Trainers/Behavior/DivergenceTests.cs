using Microsoft.ML;
using MLNet.AdaBelief.Training;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// A run that blows up stops with an error that says what to change, chosen from the cause found; it never returns
/// NaN, infinite or run-away weights.
/// </summary>
[TestClass]
public sealed class DivergenceTests
{
    [TestMethod]
    public void FeaturesTooLargeForFloat_ThrowNamingANormalizer_NotTheRate()
    {
        var ml = new MLContext(seed: 1);
        RegressionRow[] rows = Regression(200, seed: 24).Select(r => new RegressionRow
        {
            Features = r.Features.Select(x => x * 1e30f).ToArray(),
            Label = r.Label,
        }).ToArray();
        int epochs = 0;
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            StandardizeFeatures = false,
            LearningRate = 1,
            NumberOfEpochs = 5,
            ProgressCallback = _ => epochs++,
        });

        object? model = null;
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => { model = trainer.Fit(ml.Data.LoadFromEnumerable(rows)); });

        Assert.IsNull(model);
        Assert.Contains("diverged", error.Message);
        Assert.Contains("Normalize", error.Message, "a normalizer is the fix");
        Assert.DoesNotContain("GradientClipNorm", error.Message, "clipping cannot help here");
        Assert.IsEmpty(trainer.TrainingHistory);
        Assert.AreEqual(0, epochs, "it stops within the first epoch, before any progress report");
    }

    [TestMethod]
    public void OneHugeFeature_WithStandardizing_ThrowsNamingTheFeatureAndANormalizer()
    {
        var ml = new MLContext(seed: 1);
        RegressionRow[] rows = Regression(200, seed: 24).Select(r => new RegressionRow
        {
            Features = [r.Features[0], r.Features[1] * 1e18f, r.Features[2]],
            Label = r.Label,
        }).ToArray();
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { LearningRate = 1e-3, NumberOfEpochs = 3 });

        try
        {
            var model = trainer.Fit(ml.Data.LoadFromEnumerable(rows));
            Assert.IsTrue(Weights(model).All(float.IsFinite), "if it trains, the weights are finite");
        }
        catch (InvalidOperationException e)
        {
            Assert.Contains("Feature 1 reaches", e.Message);
            Assert.Contains("Normalize", e.Message);
            Assert.DoesNotContain("lower LearningRate", e.Message);
        }
    }

    [TestMethod]
    public void UnscaledLargeFeatures_ThrowNamingStandardizeFeatures()
    {
        var ml = new MLContext(seed: 1);
        RegressionRow[] rows = Regression(300, seed: 25).Select(r => new RegressionRow
        {
            Features = r.Features.Select(x => x * 1e5f).ToArray(),
            Label = r.Label,
        }).ToArray();
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { StandardizeFeatures = false, LearningRate = 0.3, NumberOfEpochs = 5, LearningRateShape = LearningRateShape.Constant });

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("StandardizeFeatures", e.Message);
    }

    [TestMethod]
    public void ExplodingLossThatStaysFinite_IsCaught_AndTheRateIsBlamed()
    {
        // A constant rate of 10⁶ on standardized features: every weight jumps by about 10⁶ a step, so the loss grows by
        // some 10¹² without ever overflowing.
        var ml = new MLContext(seed: 1);
        int epochs = 0;
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            LearningRateSchedule = new FixedLearningRate(1e6),
            NumberOfEpochs = 5,
            ProgressCallback = _ => epochs++,
        });

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(Regression(300, seed: 26))));

        Assert.Contains("times the loss at the start", e.Message);
        Assert.Contains("lower LearningRate", e.Message);
        Assert.AreEqual(0, epochs, "caught at the end of the first epoch, before its report");
    }

    [TestMethod]
    public void SparseRun_DivergingAfterItsFirstEpoch_StopsWithAnError()
    {
        // After the first epoch the sparse trainer no longer scans every weight at an epoch's end (the lazy step notes
        // what it writes that is not finite), so a run that blows up later must still be stopped: a rate of 10³⁰ from
        // the second epoch on makes the next mini-batch's loss NaN.
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Wide(2000, seed: 27, nonZerosPerRow: 3, sparse: true));
        int epochs = 0;
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            LearningRateSchedule = new PiecewiseConstant([1], [0.05, 1e30]),
            ScheduleUnit = ScheduleUnit.Epoch,
            NumberOfEpochs = 4,
            ProgressCallback = _ => epochs++,
        });

        object? model = null;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => { model = trainer.Fit(data); });

        Assert.IsNull(model);
        Assert.Contains("diverged in epoch 2", e.Message);
        Assert.AreEqual(1, epochs, "the first epoch trains and reports; the second stops the run");
    }

    [TestMethod]
    public void SparseRun_BlowingUpInTheLastStepOfALaterEpoch_StopsWithAnError()
    {
        // No mini-batch follows the last step to show a NaN loss, and after the first epoch the sparse trainer scans
        // only the biases and whatever the lazy steps noted: a step at a rate that overflows float, the run's very last
        // (2,048 rows are two epochs of 32 batches; steps 0-62 at 0.05), must still stop the run. The same schedule with
        // the jump one step later, past the end, trains.
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Wide(2048, seed: 28, nonZerosPerRow: 3, sparse: true));
        AdaBeliefRegressionTrainer Trainer(long jumpAt, Action<TrainingProgress> progress) => ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            LearningRateSchedule = new PiecewiseConstant([jumpAt], [0.05, 1e39]),
            NumberOfEpochs = 2,
            Seed = 1,
            ProgressCallback = progress,
        });

        int epochs = 0;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Trainer(63, _ => epochs++).Fit(data));
        Assert.Contains("diverged in epoch 2", e.Message);
        Assert.AreEqual(1, epochs, "the first epoch trains and reports; the second's last step stops the run");

        int controlEpochs = 0;
        var model = Trainer(64, _ => controlEpochs++).Fit(data);
        Assert.AreEqual(2, controlEpochs);
        Assert.IsTrue(Weights(model).All(float.IsFinite));
    }

    [TestMethod]
    public void ZeroLearningRate_IsRejectedWhenTheTrainerIsBuilt()
    {
        var ml = new MLContext(seed: 1);

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.AdaBelief(learningRate: 0));

        Assert.AreEqual("LearningRate", e.ParamName);
        Assert.Contains("positive", e.Message);
    }

    [TestMethod]
    public void HasRunAway_ComparesWithTheStart()
    {
        Assert.IsFalse(TrainingDivergence.HasRunAway(epochLoss: 5, startLoss: 1));
        Assert.IsTrue(TrainingDivergence.HasRunAway(epochLoss: 2e3, startLoss: 1));
        Assert.IsFalse(TrainingDivergence.HasRunAway(epochLoss: 1e-20, startLoss: 0), "a perfect start has nothing to compare with");
    }

    [TestMethod]
    public void Advice_FollowsTheCause()
    {
        var plain = new TrainingDivergence.Magnitudes(0, 10, 10, NonFinite: false);
        StringAssert.Contains(TrainingDivergence.Advice(plain, 0.5, scaleFeatures: true), "lower LearningRate (try 0.05)");
        StringAssert.Contains(TrainingDivergence.Advice(plain with { LargestFeatureValue = 1e4 }, 0.5, scaleFeatures: false), "StandardizeFeatures");
        StringAssert.Contains(TrainingDivergence.Advice(plain with { LargestFeatureValue = 1e4 }, 0.5, scaleFeatures: true), "lower LearningRate");
        StringAssert.Contains(TrainingDivergence.Advice(plain with { LargestFeature = 7, LargestFeatureValue = 1e18 }, 1e-5, scaleFeatures: true), "Feature 7 reaches 1E+18");
        StringAssert.Contains(TrainingDivergence.Advice(plain with { LargestLabelValue = 1e20 }, 1e-5, scaleFeatures: true), "rescale the label");
    }
}
