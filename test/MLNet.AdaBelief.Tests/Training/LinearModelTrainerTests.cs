using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>The epoch loop end to end: fits, stopping, determinism, divergence, progress and example weights.</summary>
[TestClass]
public sealed class LinearModelTrainerTests
{
    [TestMethod]
    public void Squared_FitsLinearData()
    {
        TestRows train = TrainingTestData.Linear(1, rows: 2000, features: 6);
        LinearModelWeights model = Trainer(LinearModelLoss.Squared, new LinearTrainerSettings { Epochs = 20, BatchSize = 32 }, 0.02)
            .Train(train.Rows()).Model;

        double mean = train.Labels.Average(v => (double)v);
        double residual = 0, total = 0;
        for (int i = 0; i < train.Count; i++)
        {
            double error = TrainingTestData.Scores(model, train.Features[i])[0] - train.Labels[i];
            residual += error * error;
            total += (train.Labels[i] - mean) * (train.Labels[i] - mean);
        }

        Assert.IsGreaterThan(0.99, 1 - residual / total, "R²");
    }

    [TestMethod]
    [DataRow("Logistic", 2)]
    [DataRow("SoftmaxCrossEntropy", 3)]
    public void Classifiers_SeparateBlobs(string lossName, int classes)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = TrainingTestData.Blobs(2, rows: 1500, features: 4, classes, spread: 0.8);
        LinearModelWeights model = Trainer(loss, new LinearTrainerSettings { Epochs = 10, BatchSize = 32 }, 0.05, classes)
            .Train(data.Rows()).Model;

        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double[] scores = TrainingTestData.Scores(model, data.Features[i]);
            int predicted = classes == 2 ? (scores[0] > 0 ? 1 : 0) : Array.IndexOf(scores, scores.Max());
            correct += predicted == (int)data.Labels[i] ? 1 : 0;
        }

        Assert.IsGreaterThan(0.95, correct / (double)data.Count, "accuracy");
    }

    [TestMethod]
    public void EarlyStopping_RestoresTheBestEpoch()
    {
        // Training pulls the weight towards 1, validation wants 0.3: validation loss falls, then rises.
        TestRows train = TrainingTestData.Random(4, rows: 100, features: 1, (_, x) => x[0], zeroShare: 0, unitWeights: true);
        TestRows validation = TrainingTestData.Random(5, rows: 100, features: 1, (_, x) => 0.3f * x[0], zeroShare: 0, unitWeights: true);
        var settings = new LinearTrainerSettings
        {
            Epochs = 100, BatchSize = 10, EarlyStoppingPatience = 3, ScaleFeatures = false, BiasInitialization = BiasInitialization.Zero,
        };
        LinearModelTrainer trainer = Trainer(LinearModelLoss.Squared, settings, 0.01);
        LinearTrainingResult result = trainer.Train(train.Rows(), validation.Rows());

        Assert.IsTrue(result.StoppedEarly);
        Assert.HasCount(result.BestEpoch + 3, result.History);
        double best = result.History.Min(p => p.ValidationLoss!.Value);
        Assert.AreEqual(best, result.History[result.BestEpoch - 1].ValidationLoss);
        Assert.IsGreaterThan(best, result.History[^1].ValidationLoss!.Value);
        Assert.AreEqual(best, trainer.MeanLoss(validation.Rows(), result.Model.Weights, result.Model.Biases), 1e-12, "the returned weights are the best epoch's");
    }

    [TestMethod]
    public void SameSeed_BitIdentical_OtherSeed_Different()
    {
        TestRows data = TrainingTestData.Random(6, rows: 600, features: 8, (r, x) => x[0] + x[5] + (float)r.NextDouble());
        LinearModelWeights Run(int seed) =>
            Trainer(LinearModelLoss.Squared, new LinearTrainerSettings { Epochs = 3, BatchSize = 16, Seed = seed }, 0.02).Train(data.Rows()).Model;

        LinearModelWeights first = Run(1), again = Run(1), other = Run(2);
        CollectionAssert.AreEqual(first.Weights, again.Weights);
        CollectionAssert.AreEqual(first.Biases, again.Biases);
        CollectionAssert.AreNotEqual(first.Weights, other.Weights);
    }

    [TestMethod]
    public void HugeLearningRate_OnHugeRawFeatures_ThrowsInsteadOfReturningNaN_AndBlamesTheFeatures()
    {
        // Raw features of size 1e15 and more make the scores, and then the gradient, overflow float within a few steps:
        // the case where weights would otherwise turn NaN. No learning rate fixes features that large, so the advice
        // names a normalizer, not the rate.
        TestRows data = TrainingTestData.Linear(7, rows: 400, features: 6) is var d
            ? d with { Features = d.Features.Select(x => x.Select(v => v * 1e15f).ToArray()).ToArray() }
            : throw new InvalidOperationException();
        var settings = new LinearTrainerSettings { Epochs = 50, BatchSize = 16, ScaleFeatures = false };
        LinearModelTrainer trainer = Trainer(LinearModelLoss.Squared, settings, 1e6);

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Train(data.Rows()));
        StringAssert.Contains(error.Message, "too large for float arithmetic whatever the learning rate");
        StringAssert.Contains(error.Message, "NormalizeMinMax");
    }

    [TestMethod]
    public void Progress_OneRecordPerEpoch_WithTheRateUsed()
    {
        TestRows data = TrainingTestData.Random(8, rows: 200, features: 3, (_, x) => x[1]);
        var options = new AdaBeliefOptions { LearningRate = new HalvingEachEpoch(0.08), ScheduleUnit = ScheduleUnit.Epoch };
        var trainer = new LinearModelTrainer(LinearLosses.Create(LinearModelLoss.Squared), new LinearTrainerSettings { Epochs = 4 }, options);
        var seen = new List<TrainingProgress>();
        LinearTrainingResult result = trainer.Train(data.Rows(), progress: seen.Add);

        int[] epochs = [1, 2, 3, 4];
        double[] rates = [0.08, 0.04, 0.02, 0.01];
        CollectionAssert.AreEqual(epochs, seen.Select(p => p.Epoch).ToArray());
        CollectionAssert.AreEqual(rates, seen.Select(p => p.LearningRate).ToArray());
        CollectionAssert.AreEqual(seen, result.History.ToList());
        Assert.IsTrue(seen.All(p => double.IsFinite(p.TrainingLoss) && p.ValidationLoss is null));
    }

    [TestMethod]
    public void ExampleWeightOfTwo_TrainsAsTheRowTwice()
    {
        TestRows data = TrainingTestData.Random(9, rows: 50, features: 4, (r, x) => x[2] + (float)r.NextDouble(), unitWeights: true);
        float[] weights = Enumerable.Repeat(1f, data.Count).ToArray();
        weights[7] = 2f;
        TestRows weighted = data with { Weights = weights };
        // The copy goes right after row 7, so both batches sum their rows in nearly the same order: full-batch steps
        // make the gradient steady, and AdaBelief divides by the spread of the gradient around its mean, which then
        // magnifies rounding differences of a different summation order far beyond float precision.
        TestRows duplicated = new(
            [.. data.Features[..8], data.Features[7], .. data.Features[8..]],
            [.. data.Labels[..8], data.Labels[7], .. data.Labels[8..]],
            Enumerable.Repeat(1f, data.Count + 1).ToArray());
        var settings = new LinearTrainerSettings { Epochs = 20, BatchSize = 64, Shuffle = false };

        LinearModelWeights a = Trainer(LinearModelLoss.Squared, settings, 0.05).Train(weighted.Rows()).Model;
        LinearModelWeights b = Trainer(LinearModelLoss.Squared, settings, 0.05).Train(duplicated.Rows()).Model;
        for (int j = 0; j < a.Weights.Length; j++)
            Assert.AreEqual(b.Weights[j], a.Weights[j], 1e-4f);
        Assert.AreEqual(b.Bias, a.Bias, 1e-4f);
    }

    [TestMethod]
    public void WarmStart_WithZeroLearningRate_ReturnsTheInitialModel()
    {
        TestRows data = TrainingTestData.Linear(10, rows: 100, features: 3);
        var initial = new LinearModelWeights([0.5f, -2f, 1f], [4f]);
        LinearModelWeights model = Trainer(LinearModelLoss.Squared, new LinearTrainerSettings { Epochs = 2 }, 0).Train(data.Rows(), initial: initial).Model;
        for (int j = 0; j < 3; j++)
            Assert.AreEqual(initial.Weights[j], model.Weights[j], 1e-6f);
        Assert.AreEqual(4f, model.Bias, 1e-4f);
    }

    private static LinearModelTrainer Trainer(LinearModelLoss loss, LinearTrainerSettings settings, double learningRate, int classes = 0) =>
        new(LinearLosses.Create(loss, classes), settings, new AdaBeliefOptions { LearningRate = learningRate });

    private sealed class HalvingEachEpoch(double start) : LearningRateSchedule
    {
        public override double BaseLearningRate => start;

        public override double GetLearningRate(long count) => start / Math.Pow(2, count);
    }
}
