using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>The generalization options of the trainers: checks, the held-out share and the L2 rule's effect.</summary>
[TestClass]
public sealed class GeneralizationOptionsTests
{
    [TestMethod]
    public void BadValues_AreRejectedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var tooLarge = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { ValidationFraction = 0.6 }));
        Assert.AreEqual("ValidationFraction", tooLarge.ParamName);
        var negative = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { L2Regularization = -1 }));
        Assert.AreEqual("L2Regularization", negative.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { ValidationFraction = double.NaN }));
    }

    [TestMethod]
    public void ValidationFraction_WithoutValidationData_MeasuresHeldOutRows_StreamedOrInMemory()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Regression(1003, seed: 7));
        AdaBeliefRegressionTrainer.Options Options(long budget) =>
            new() { NumberOfEpochs = 8, Seed = 3, MemoryBudgetBytes = budget, ValidationFraction = 0.2 };

        var inMemoryTrainer = ml.Regression.Trainers.AdaBelief(Options(AdaBeliefTrainerDefaults.MemoryBudgetBytes));
        var streamedTrainer = ml.Regression.Trainers.AdaBelief(Options(0));
        var inMemory = inMemoryTrainer.Fit(data);
        var streamed = streamedTrainer.Fit(data);
        var again = ml.Regression.Trainers.AdaBelief(Options(AdaBeliefTrainerDefaults.MemoryBudgetBytes)).Fit(data);

        CollectionAssert.AreEqual(Weights(inMemory), Weights(streamed));
        CollectionAssert.AreEqual(Weights(inMemory), Weights(again));
        Assert.IsTrue(inMemoryTrainer.TrainingHistory.All(p => p.ValidationLoss is not null));
        CollectionAssert.AreEqual(
            inMemoryTrainer.TrainingHistory.Select(p => p.ValidationLoss).ToArray(),
            streamedTrainer.TrainingHistory.Select(p => p.ValidationLoss).ToArray());
    }

    [TestMethod]
    public void ValidationFraction_WithValidationData_HoldsOutNothing()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Regression(500, seed: 7));
        IDataView validation = ml.Data.LoadFromEnumerable(Regression(100, seed: 8));
        var withFraction = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 3, Seed = 3, ValidationFraction = 0.2 });
        var without = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 3, Seed = 3, ValidationFraction = 0 });

        CollectionAssert.AreEqual(Weights(without.Fit(train, validation)), Weights(withFraction.Fit(train, validation)));
    }

    [TestMethod]
    public void L2Regularization_ShrinksTheWeights_OnAsManyFeaturesAsRows_AndFadesOnManyRows()
    {
        var ml = new MLContext(seed: 1);
        double Norm(int rows, double l2)
        {
            IDataView data = ml.Data.LoadFromEnumerable(Wide(rows, seed: 7, nonZerosPerRow: 10, sparse: false));
            var options = new AdaBeliefRegressionTrainer.Options { Seed = 3, L2Regularization = l2, ValidationFraction = 0 };
            return Math.Sqrt(Weights(ml.Regression.Trainers.AdaBelief(options).Fit(data)).Sum(w => (double)w * w));
        }

        // 40 rows of 40 features: λ = c/40; 4,000 rows: λ = c·(40/4,000)/4,000, a hundredth of a percent of that.
        double shrinkFew = Norm(WideFeatureCount, 20) / Norm(WideFeatureCount, 0);
        double shrinkMany = Norm(4000, 20) / Norm(4000, 0);
        Assert.IsTrue(shrinkFew < 0.9, $"40 rows: the penalty keeps {shrinkFew:F3} of the norm");
        Assert.IsTrue(shrinkMany > 0.98, $"4,000 rows: the penalty keeps {shrinkMany:F3} of the norm");
    }
}
