using Microsoft.ML;
using Microsoft.ML.Trainers;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// Fit(data, model) starts from the given model. With a fixed rate of 0 (a schedule: the LearningRate option must be
/// positive), the model comes back
/// as given, up to the float rounding of mapping it into the standardized space and back.
/// </summary>
[TestClass]
public sealed class WarmStartTests
{
    private static readonly RegressionRow[] RegressionRows = Regression(500, seed: 18);

    [TestMethod]
    public void Regression_RateZero_ReturnsTheStartingModel()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(RegressionRows);
        var start = ml.Regression.Trainers.AdaBelief(numberOfEpochs: 10).Fit(data).Model;

        var again = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { LearningRateSchedule = new FixedLearningRate(0), NumberOfEpochs = 2 }).Fit(data, start);

        AssertClose(start.Weights.ToArray(), Weights(again), "weights");
        Assert.AreEqual(start.Bias, again.Model.Bias, 1e-6 * (1 + Math.Abs(start.Bias)), "bias");
    }

    [TestMethod]
    public void Regression_RateZero_WithoutStandardizing_ReturnsTheStartingModelExactly()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(RegressionRows);
        var start = ml.Regression.Trainers.AdaBelief(numberOfEpochs: 10).Fit(data).Model;

        var again = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            LearningRateSchedule = new FixedLearningRate(0),
            NumberOfEpochs = 2,
            StandardizeFeatures = false,
        }).Fit(data, start);

        CollectionAssert.AreEqual(start.Weights.ToArray(), Weights(again));
        Assert.AreEqual(start.Bias, again.Model.Bias);
    }

    [TestMethod]
    public void Regression_FromAGoodModel_FirstEpochLossIsAlreadyLow()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(RegressionRows);
        var start = ml.Regression.Trainers.AdaBelief().Fit(data).Model; // automatic epochs: trained to convergence
        var options = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 1, Seed = 1 };

        var warm = ml.Regression.Trainers.AdaBelief(options);
        warm.Fit(data, start);
        var cold = ml.Regression.Trainers.AdaBelief(options);
        cold.Fit(data);

        double warmLoss = warm.TrainingHistory[0].TrainingLoss, coldLoss = cold.TrainingHistory[0].TrainingLoss;
        Assert.IsLessThan(0.1 * coldLoss, warmLoss, $"warm {warmLoss}, cold {coldLoss}");
        Assert.IsLessThan(0.01, warmLoss, "near the noise floor ½·0.05² ≈ 0.00125");
    }

    [TestMethod]
    public void Binary_RateZero_ReturnsTheStartingModel()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Binary(400, seed: 19));
        LinearBinaryModelParameters start = ml.BinaryClassification.Trainers.AdaBelief(numberOfEpochs: 10).Fit(data).Model.SubModel;

        var again = ml.BinaryClassification.Trainers.AdaBelief(new AdaBeliefBinaryTrainer.Options { LearningRateSchedule = new FixedLearningRate(0), NumberOfEpochs = 1 }).Fit(data, start);

        AssertClose(start.Weights.ToArray(), Weights(again), "weights");
        Assert.AreEqual(start.Bias, again.Model.SubModel.Bias, 1e-6 * (1 + Math.Abs(start.Bias)), "bias");
    }

    [TestMethod]
    public void Multiclass_RateZero_ReturnsTheStartingModel()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Multiclass(400, seed: 20));
        MaximumEntropyModelParameters start = ml.MulticlassClassification.Trainers.AdaBelief(numberOfEpochs: 10).Fit(data).Model;

        var again = ml.MulticlassClassification.Trainers.AdaBelief(new AdaBeliefMulticlassTrainer.Options { LearningRateSchedule = new FixedLearningRate(0), NumberOfEpochs = 1 }).Fit(data, start);

        AssertClose(Parameters(start), Parameters(again.Model), "weights and biases");
    }

    [TestMethod]
    public void Multiclass_FromAGoodModel_FirstEpochLossIsAlreadyLow()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Multiclass(400, seed: 20));
        MaximumEntropyModelParameters start = ml.MulticlassClassification.Trainers.AdaBelief(numberOfEpochs: 30).Fit(data).Model;
        var options = new AdaBeliefMulticlassTrainer.Options { NumberOfEpochs = 1, Seed = 1 };

        var warm = ml.MulticlassClassification.Trainers.AdaBelief(options);
        warm.Fit(data, start);
        var cold = ml.MulticlassClassification.Trainers.AdaBelief(options);
        cold.Fit(data);

        Assert.IsLessThan(0.4 * cold.TrainingHistory[0].TrainingLoss, warm.TrainingHistory[0].TrainingLoss);
    }

    [TestMethod]
    public void ModelOverOtherFeatures_Throws()
    {
        var ml = new MLContext(seed: 1);
        // SyntheticData has 5 features; the data here has 3.
        IDataView five = ml.Data.LoadFromEnumerable(SyntheticData.Regression(100, seed: 1));
        IDataView fiveBinary = ml.Data.LoadFromEnumerable(SyntheticData.Binary(100, seed: 1));
        IDataView fiveClasses = ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Fit(ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(100, seed: 1)))
            .Transform(ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(100, seed: 1)));

        var regression = ml.Regression.Trainers.AdaBelief(numberOfEpochs: 1).Fit(five).Model;
        var binary = ml.BinaryClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(fiveBinary).Model.SubModel;
        var multiclass = ml.MulticlassClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(fiveClasses).Model;

        Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.AdaBelief(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(RegressionRows), regression));
        Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(Binary(50, seed: 1)), binary));
        Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(Multiclass(50, seed: 1)), multiclass));
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int j = 0; j < expected.Length; j++)
            Assert.AreEqual(expected[j], actual[j], 1e-6 * Math.Abs(expected[j]) + 1e-7, $"{what} [{j}]");
    }
}
