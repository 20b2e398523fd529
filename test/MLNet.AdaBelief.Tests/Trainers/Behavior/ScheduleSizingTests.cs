using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.AdaBelief.Trainers.Data;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// The trainer sizes a schedule shape to the run it chooses (automatic epochs included), and rejects a hand-sized
/// schedule too short for the run before training, saying how many steps the run takes.
/// </summary>
[TestClass]
public sealed class ScheduleSizingTests
{
    [TestMethod]
    public void OneCycleShape_WithAutomaticEpochs_SpansTheWholeRun()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Regression(300, seed: 4));
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { ScheduleShape = ScheduleShape.OneCycle(0.1), TargetSteps = 500 });

        trainer.Fit(data);

        // 300 rows at batch 64: 5 steps per epoch, so 100 epochs for 500 steps. The rate rises for the first 30%.
        IReadOnlyList<TrainingProgress> history = trainer.TrainingHistory;
        Assert.HasCount(100, history);
        Assert.AreEqual(0.1 / 25, history[0].LearningRate, 1e-12, "1cycle starts at max / divFactor");
        int peak = Enumerable.Range(0, history.Count).MaxBy(i => history[i].LearningRate);
        Assert.AreEqual(30, peak, 1, "the peak falls 30% into the run");
        Assert.IsLessThan(1e-3, history[^1].LearningRate, "the rate ends near its minimum, at the end of the run");
    }

    [TestMethod]
    [DataRow(ScheduleUnit.Step, 1000L)]
    [DataRow(ScheduleUnit.Epoch, 20L)]
    public void Shape_IsSizedInTheUnitItCounts(ScheduleUnit unit, long expectedHorizon)
    {
        TrainingPlan plan = Plan(new AdaBeliefRegressionTrainer.Options { ScheduleShape = ScheduleShape.Cosine(0.1), ScheduleUnit = unit, NumberOfEpochs = 20, BatchSize = 10 }, rows: 500);

        Assert.AreEqual(expectedHorizon, plan.OptimizerOptions.LearningRate.Horizon);
        Assert.AreEqual(unit, plan.OptimizerOptions.ScheduleUnit);
    }

    [TestMethod]
    public void EveryLearningRateShape_IsSizedToTheRun()
    {
        foreach (LearningRateShape shape in Enum.GetValues<LearningRateShape>())
        {
            // 1,920 rows: 30 steps an epoch, 100 automatic epochs, so a decaying shape peaks at 1 + 5 · 36 / 80 = 3.25
            // times the rate.
            TrainingPlan plan = Plan(new AdaBeliefRegressionTrainer.Options { LearningRateShape = shape, LearningRate = 0.07 }, rows: 1920);

            long steps = plan.Settings.Epochs * plan.StepsPerEpoch;
            LearningRateSchedule schedule = plan.OptimizerOptions.LearningRate;
            double peak = shape == LearningRateShape.Constant ? 0.07 : 0.07 * 3.25;
            Assert.AreEqual(100, plan.Settings.Epochs);
            Assert.IsTrue(schedule.Horizon is null || schedule.Horizon == steps, $"{shape}: {schedule} for {steps} steps");
            Assert.AreEqual(peak, Enumerable.Range(0, (int)steps).Max(i => schedule.GetLearningRate(i)), 1e-3 * peak, $"{shape} peaks at the sized rate");
        }
    }

    [TestMethod]
    public void DefaultShape_IsTheLinearDecayOverTheAutomaticSteps()
    {
        TrainingPlan plan = Plan(new AdaBeliefRegressionTrainer.Options(), rows: 640);

        var linear = (LinearLR)plan.OptimizerOptions.LearningRate;
        Assert.AreEqual(AdaBeliefTrainerDefaults.LearningRate * AdaBeliefTrainerDefaults.MaximumPeakRateFactor, linear.BaseLearningRate, 1e-12, "300 epochs: the largest factor");
        Assert.AreEqual(1.0, linear.StartFactor);
        Assert.AreEqual(0.0, linear.EndFactor);
        Assert.AreEqual(3000L, linear.TotalIters, "10 steps per epoch, 300 epochs");
    }

    [TestMethod]
    [DataRow(192_000, 1, 1.0)] // one pass: the rate as given
    [DataRow(3_072, 63, 1.0)] // 48 steps an epoch, 63 epochs: still as given
    [DataRow(1_920, 100, 3.25)] // 30 steps an epoch, 100 epochs: on the way up
    [DataRow(1_344, 143, 5.9375)] // 21 steps an epoch (GitHub issues' folds), 143 epochs: nearly the most
    [DataRow(640, 300, 6.0)] // many epochs: at most six times
    public void ManyAutomaticEpochs_RaiseThePeak_UpToSixTimes(int rows, int epochs, double factor)
    {
        var options = new AdaBeliefRegressionTrainer.Options();

        Assert.AreEqual(factor, TrainingPlan.PeakRateFactor(options, epochs), 1e-12);
        if (rows <= 3_072)
        {
            TrainingPlan plan = Plan(options, rows);
            Assert.AreEqual(epochs, plan.Settings.Epochs);
            Assert.AreEqual(0.05 * factor, ((LinearLR)plan.OptimizerOptions.LearningRate).BaseLearningRate, 1e-12);
        }

        // The rate given is the peak when the user fixes the epochs, or asks for a constant rate.
        Assert.AreEqual(1.0, TrainingPlan.PeakRateFactor(new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = epochs }, epochs));
        Assert.AreEqual(1.0, TrainingPlan.PeakRateFactor(new AdaBeliefRegressionTrainer.Options { LearningRateShape = LearningRateShape.Constant }, epochs));
    }

    [TestMethod]
    public void RaisedPeak_IsSaidInTheFitsLog_WithHowToHaveTheRateAsGiven()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        IDataView small = ml.Data.LoadFromEnumerable(Regression(300, seed: 4)); // 5 steps an epoch: 600 epochs, six times
        IDataView large = ml.Data.LoadFromEnumerable(Regression(4000, seed: 4)); // 63 steps an epoch: 48 epochs, as given

        ml.Regression.Trainers.AdaBelief().Fit(small);
        ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 600 }).Fit(small);
        ml.Regression.Trainers.AdaBelief().Fit(large);

        string[] plans = [.. log.Of(ChannelMessageKind.Info).Where(m => m.StartsWith("AdaBelief: ", StringComparison.Ordinal))];
        Assert.HasCount(3, plans);
        StringAssert.Contains(plans[0], "the peak is 6 × LearningRate");
        StringAssert.Contains(plans[0], "set NumberOfEpochs or ScheduleShape");
        Assert.DoesNotContain("the peak is", plans[1], "epochs set by the user: the rate as given");
        Assert.DoesNotContain("the peak is", plans[2], "data read fewer than 64 times: the rate as given");
    }

    [TestMethod]
    public void HandSizedSchedule_TooShort_IsRejectedBeforeTraining_WithTheRunsLength()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Regression(300, seed: 4));
        int epochs = 0;
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            LearningRateSchedule = new OneCycleLR(0.1, totalSteps: 50),
            NumberOfEpochs = 20,
            ProgressCallback = _ => epochs++,
        });

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data));

        Assert.AreEqual("LearningRateSchedule", e.ParamName);
        Assert.Contains("100 steps (20 epochs of 5 steps)", e.Message);
        Assert.Contains("ScheduleShape", e.Message, "it points to the fix");
        Assert.AreEqual(0, epochs, "nothing was trained");
    }

    [TestMethod]
    public void HandSizedSchedule_LongEnough_Trains()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { LearningRateSchedule = new OneCycleLR(0.1, totalSteps: 100), NumberOfEpochs = 20 });

        trainer.Fit(ml.Data.LoadFromEnumerable(Regression(300, seed: 4)));

        Assert.HasCount(20, trainer.TrainingHistory);
    }

    [TestMethod]
    public void ScheduleAndShape_BothSet_AreRejectedWhenTheTrainerIsBuilt()
    {
        var ml = new MLContext(seed: 1);
        var options = new AdaBeliefRegressionTrainer.Options { LearningRateSchedule = new FixedLearningRate(0.1), ScheduleShape = ScheduleShape.Cosine(0.1) };

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.AdaBelief(options));

        Assert.AreEqual("ScheduleShape", e.ParamName);
    }

    [TestMethod]
    [DataRow(1, false, 1)]
    [DataRow(3, false, 2)]
    [DataRow(3, true, 1)]
    public void DataOfMoreThanTheTargetSteps_IsReadTwice_OnlyByADenseMulticlassFit(int outputs, bool sparse, int expectedEpochs)
    {
        var ml = new MLContext(seed: 1);
        IDataView view = ml.Data.LoadFromEnumerable(Wide(1000, seed: 31, nonZerosPerRow: sparse ? 2 : WideFeatureCount, sparse));
        var columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);
        using LoadedTrainingData data = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        Assert.AreEqual(sparse, data.IsSparse);

        // 1,000 steps an epoch against a target of 100: one pass would do.
        var plan = TrainingPlan.Create(new AdaBeliefRegressionTrainer.Options { BatchSize = 1, TargetSteps = 100 }, data, new Random(1), outputs);

        Assert.AreEqual(expectedEpochs, plan.Settings.Epochs);
    }

    private static TrainingPlan Plan(AdaBeliefTrainerOptionsBase options, int rows)
    {
        var ml = new MLContext(seed: 1);
        IDataView view = ml.Data.LoadFromEnumerable(Regression(rows, seed: 3));
        var columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);
        using LoadedTrainingData data = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        return TrainingPlan.Create(options, data, new Random(1));
    }
}
