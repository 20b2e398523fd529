using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// A regression label is trained standardized and folded back: multiplying the labels by 10⁵ multiplies the
/// predictions by 10⁵ (to float rounding) and leaves R² as it was; losses and Huber's δ stay in label units.
/// </summary>
[TestClass]
public sealed class LabelStandardizationTests
{
    private const float Factor = 1e5f;

    // Not bit for bit: the two runs see labels that differ by a factor that is not a power of two, so the scaled
    // labels (y − c)/σ agree only to float rounding, and so do the steps taken from them.
    [TestMethod]
    [DataRow(false, "Squared")]
    [DataRow(true, "Squared")]
    [DataRow(false, "Huber")]
    [DataRow(true, "Huber")]
    public void LabelsTimes1e5_GiveThePredictionsTimes1e5_AndTheSameR2(bool sparse, string lossName)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = TrainingTestData.Random(11, rows: 800, features: 6, (r, x) => 3 * x[0] - x[2] + 0.5f + (0.3f * (float)TrainingTestData.Gaussian(r)), zeroShare: 0.5);
        TestRows scaled = data with { Labels = data.Labels.Select(y => y * Factor).ToArray() };
        var settings = new LinearTrainerSettings { Epochs = 10, BatchSize = 32, Seed = 3 };

        LinearModelWeights original = Trainer(loss, huberDelta: 0.5f, settings).Train(data.Rows(sparse)).Model;
        LinearModelWeights large = Trainer(loss, huberDelta: 0.5f * Factor, settings).Train(scaled.Rows(sparse)).Model;

        double spread = Math.Sqrt(data.Labels.Select(y => (double)y * y).Average());
        for (int i = 0; i < data.Count; i++)
        {
            double expected = TrainingTestData.Scores(original, data.Features[i])[0];
            double actual = TrainingTestData.Scores(large, data.Features[i])[0] / Factor;
            Assert.AreEqual(expected, actual, 1e-4 * spread, $"row {i}");
        }

        double r2 = RSquared(original, data), r2Large = RSquared(large, scaled);
        Assert.IsGreaterThan(0.9, r2);
        Assert.AreEqual(r2, r2Large, 1e-5);
    }

    [TestMethod]
    public void LabelsAround1e5_TrainAsWellAsLabelsAround1()
    {
        // Prices in dollars: a spread of thousands around 10⁵. Unstandardized, each step moves a weight by about the
        // learning rate, and ten epochs do not get near weights of thousands.
        TestRows data = TrainingTestData.Linear(12, rows: 1000, features: 4);
        TestRows prices = data with { Labels = data.Labels.Select(y => 100_000f + (2_000f * y)).ToArray() };
        var settings = new LinearTrainerSettings { Epochs = 10, BatchSize = 32, Seed = 1 };

        double standardized = RSquared(Trainer(LinearModelLoss.Squared, 1f, settings).Train(prices.Rows()).Model, prices);
        double raw = RSquared(Trainer(LinearModelLoss.Squared, 1f, settings with { StandardizeLabel = false }).Train(prices.Rows()).Model, prices);

        Assert.IsGreaterThan(0.99, standardized, "standardized label");
        Assert.IsLessThan(0.5, raw, "the same training on the raw label, for contrast");
    }

    [TestMethod]
    public void ReportedLosses_AreInLabelUnits()
    {
        TestRows data = TrainingTestData.Linear(13, rows: 600, features: 3, noise: 0.5);
        TestRows scaled = data with { Labels = data.Labels.Select(y => y * Factor).ToArray() };
        TestRows validation = TrainingTestData.Linear(14, rows: 200, features: 3, noise: 0.5);
        TestRows scaledValidation = validation with { Labels = validation.Labels.Select(y => y * Factor).ToArray() };
        var settings = new LinearTrainerSettings { Epochs = 4, BatchSize = 32, Seed = 5 };

        LinearTrainingResult original = Trainer(LinearModelLoss.Squared, 1f, settings).Train(data.Rows(), validation.Rows());
        LinearTrainingResult large = Trainer(LinearModelLoss.Squared, 1f, settings).Train(scaled.Rows(), scaledValidation.Rows());

        for (int epoch = 0; epoch < 4; epoch++)
        {
            double squared = (double)Factor * Factor;
            Assert.AreEqual(original.History[epoch].TrainingLoss, large.History[epoch].TrainingLoss / squared, 1e-3 * original.History[epoch].TrainingLoss);
            Assert.AreEqual(original.History[epoch].ValidationLoss!.Value, large.History[epoch].ValidationLoss!.Value / squared, 1e-3 * original.History[epoch].ValidationLoss!.Value);
        }
    }

    [TestMethod]
    public void Statistics_MeasureTheLabelSpread_WeightedAndWithoutCancellation()
    {
        var store = new RowStore(1, sparse: false);
        store.AddDenseRow([0f], label: 100_001f, weight: 1f);
        store.AddDenseRow([0f], label: 100_003f, weight: 3f);
        DataStatistics statistics = DataStatistics.Compute(new InMemoryTrainingRows(store), measureFeatures: false, classCount: 0);
        Assert.AreEqual(Math.Sqrt(0.75), statistics.LabelSpread, 1e-9); // weighted variance (1·1.5² + 3·0.5²)/4
    }

    private static LinearModelTrainer Trainer(LinearModelLoss loss, float huberDelta, LinearTrainerSettings settings) =>
        new(LinearLosses.Create(loss, huberDelta: huberDelta), settings, new AdaBeliefOptions { LearningRate = 0.05 });

    private static double RSquared(LinearModelWeights model, TestRows data)
    {
        double mean = data.Labels.Average(v => (double)v);
        double residual = 0, total = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double error = TrainingTestData.Scores(model, data.Features[i])[0] - data.Labels[i];
            residual += error * error;
            total += (data.Labels[i] - mean) * (data.Labels[i] - mean);
        }

        return 1 - (residual / total);
    }
}
