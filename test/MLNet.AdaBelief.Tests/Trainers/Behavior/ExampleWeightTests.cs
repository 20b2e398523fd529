using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// A row of weight 2 counts as the row twice. What is compared: with Shuffle = false and one mini-batch holding every
/// row, each step's gradient is the weighted mean over all rows, which is mathematically the same for the weighted
/// data and for the data with those rows duplicated (as are the weighted feature statistics and the initial bias).
/// Only the float summation order differs, so the trained weights and bias agree to a tight tolerance, not bit for bit.
/// To show the tolerance is meaningful, the weighted rows follow a different relationship, and ignoring their
/// weights moves the model by far more than the tolerance.
/// </summary>
[TestClass]
public sealed class ExampleWeightTests
{
    private const double Tolerance = 1e-5;

    [TestMethod]
    public void Regression_WeightTwo_EqualsDuplicatedRows()
    {
        RegressionRow[] rows = Regression(240, seed: 12);
        // Every third row is weighted and has its label shifted, so the weights change the optimum.
        for (int i = 0; i < rows.Length; i += 3)
        {
            rows[i].Label += 2f * rows[i].Features[0] + 1f;
            rows[i].Weight = 2f;
        }

        RegressionRow[] duplicated = rows.SelectMany(r => r.Weight == 2f
            ? new[] { Copy(r, 1f), Copy(r, 1f) }
            : new[] { Copy(r, 1f) }).ToArray();
        RegressionRow[] unweighted = rows.Select(r => Copy(r, 1f)).ToArray();

        float[] weighted = FitRegression(rows, "Weight");
        float[] twice = FitRegression(duplicated, null);
        float[] ignored = FitRegression(unweighted, null);

        for (int j = 0; j < weighted.Length; j++)
            Assert.AreEqual(twice[j], weighted[j], Tolerance, $"parameter {j}");
        Assert.IsGreaterThan(50 * Tolerance, Distance(weighted, ignored), "weights of 2 must change the model");
    }

    [TestMethod]
    public void Binary_WeightTwo_EqualsDuplicatedRows()
    {
        BinaryRow[] rows = Binary(240, seed: 13);
        for (int i = 0; i < rows.Length; i += 4)
        {
            rows[i].Label = !rows[i].Label;
            rows[i].Weight = 2f;
        }

        BinaryRow[] duplicated = rows.SelectMany(r => Enumerable.Repeat(r, (int)r.Weight))
            .Select(r => new BinaryRow { Features = r.Features, Label = r.Label }).ToArray();
        BinaryRow[] unweighted = rows.Select(r => new BinaryRow { Features = r.Features, Label = r.Label }).ToArray();

        float[] weighted = FitBinary(rows, "Weight");
        float[] twice = FitBinary(duplicated, null);
        float[] ignored = FitBinary(unweighted, null);

        for (int j = 0; j < weighted.Length; j++)
            Assert.AreEqual(twice[j], weighted[j], Tolerance, $"parameter {j}");
        Assert.IsGreaterThan(50 * Tolerance, Distance(weighted, ignored), "weights of 2 must change the model");
    }

    private static RegressionRow Copy(RegressionRow row, float weight) => new() { Features = row.Features, Label = row.Label, Weight = weight };

    private static float[] FitRegression(RegressionRow[] rows, string? weightColumn)
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            ExampleWeightColumnName = weightColumn,
            Shuffle = false,
            BatchSize = 1000,
            NumberOfEpochs = 150,
            LearningRate = 0.1,
        }).Fit(ml.Data.LoadFromEnumerable(rows));
        return [.. Weights(model), model.Model.Bias];
    }

    private static float[] FitBinary(BinaryRow[] rows, string? weightColumn)
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.AdaBelief(new AdaBeliefBinaryTrainer.Options
        {
            ExampleWeightColumnName = weightColumn,
            Shuffle = false,
            BatchSize = 1000,
            NumberOfEpochs = 150,
            LearningRate = 0.1,
        }).Fit(ml.Data.LoadFromEnumerable(rows));
        return [.. Weights(model), model.Model.SubModel.Bias];
    }
}
