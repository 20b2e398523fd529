using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// Validation data is measured after every epoch; early stopping and a plateau schedule follow its loss. The
/// validation rows here follow the opposite relationship (y = −w·x + b) to the training rows, so while the model
/// learns the training data the validation loss rises every epoch and the training loss falls.
/// </summary>
[TestClass]
public sealed class ValidationTests
{
    private static readonly RegressionRow[] Train = Regression(200, seed: 15);
    private static readonly RegressionRow[] Opposite = Regression(100, seed: 16).Select(r => new RegressionRow
    {
        Features = r.Features,
        Label = 2 * TrueBias - r.Label,
    }).ToArray();

    [TestMethod]
    public void Fit_WithValidation_RecordsValidationLossPerEpoch()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 4, BatchSize = 50 });
        IDataView validation = ml.Data.LoadFromEnumerable(Regression(100, seed: 17));

        var model = trainer.Fit(ml.Data.LoadFromEnumerable(Train), validation);

        Assert.HasCount(4, trainer.TrainingHistory);
        foreach (TrainingProgress p in trainer.TrainingHistory)
            Assert.IsTrue(p.ValidationLoss is { } v && double.IsFinite(v) && v >= 0, $"epoch {p.Epoch}: {p.ValidationLoss}");
        Assert.AreEqual(
            HalfMeanSquaredError(Weights(model), model.Model.Bias, Regression(100, seed: 17)),
            trainer.TrainingHistory[^1].ValidationLoss!.Value,
            1e-5 * trainer.TrainingHistory[^1].ValidationLoss!.Value,
            "the last epoch's validation loss is that of the returned model");

        trainer.Fit(ml.Data.LoadFromEnumerable(Train));
        Assert.IsTrue(trainer.TrainingHistory.All(p => p.ValidationLoss is null), "no validation data, no validation loss");
    }

    [TestMethod]
    public void EarlyStopping_ValidationLossRises_StopsAndReturnsTheBestEpochsModel()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            NumberOfEpochs = 20,
            BatchSize = 50,
            LearningRate = 0.01,
            EarlyStoppingPatience = 2,
        });

        var model = trainer.Fit(ml.Data.LoadFromEnumerable(Train), ml.Data.LoadFromEnumerable(Opposite));

        IReadOnlyList<TrainingProgress> history = trainer.TrainingHistory;
        Assert.HasCount(3, history, "the best epoch, then two without improvement");
        Assert.AreEqual(1, trainer.BestEpoch);
        Assert.IsLessThan(history.Count, trainer.BestEpoch);
        double best = history.Min(p => p.ValidationLoss!.Value);
        Assert.AreEqual(best, history[trainer.BestEpoch - 1].ValidationLoss!.Value);
        double returned = HalfMeanSquaredError(Weights(model), model.Model.Bias, Opposite);
        Assert.AreEqual(best, returned, 1e-5 * best, "the returned model is the best epoch's");
        Assert.IsLessThan(history[^1].ValidationLoss!.Value, returned);
        Assert.IsTrue(log.Of(Microsoft.ML.Runtime.ChannelMessageKind.Info).Any(m => m.StartsWith("Stopped early after epoch 3", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ReduceLROnPlateau_PerEpoch_FollowsTheValidationLoss()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            NumberOfEpochs = 8,
            BatchSize = 50,
            LearningRateSchedule = new ReduceLROnPlateau(0.01, factor: 0.5, patience: 2),
            ScheduleUnit = ScheduleUnit.Epoch,
        });

        trainer.Fit(ml.Data.LoadFromEnumerable(Train), ml.Data.LoadFromEnumerable(Opposite));

        IReadOnlyList<TrainingProgress> history = trainer.TrainingHistory;
        for (int i = 1; i < history.Count; i++)
        {
            Assert.IsGreaterThan(history[i - 1].ValidationLoss!.Value, history[i].ValidationLoss!.Value, $"validation loss rises, epoch {i + 1}");
            Assert.IsLessThan(history[i - 1].TrainingLoss, history[i].TrainingLoss, $"training loss falls, epoch {i + 1}");
        }

        // Epoch 1 sets the best; epochs 2-4 are bad, and after the third (> patience 2) the rate halves.
        double[] expected = [0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.0025];
        CollectionAssert.AreEqual(expected, history.Select(p => p.LearningRate).ToArray());
    }
}
