using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>With outliers in the labels, the Huber loss recovers the true weights far better than the squared loss.</summary>
[TestClass]
public sealed class HuberLossTests
{
    [TestMethod]
    public void Huber_WithLabelOutliers_IsCloserToTheTrueModelThanSquared()
    {
        RegressionRow[] rows = Regression(400, seed: 25, noise: 0.1f);
        var random = new Random(26);
        for (int i = 0; i < rows.Length; i += 10)
            rows[i].Label += 20f + 20f * (float)random.NextDouble() + 10f * rows[i].Features[1];

        float[] truth = [.. TrueWeights, TrueBias];
        float[] squared = Fit(rows, RegressionLoss.Squared);
        float[] huber = Fit(rows, RegressionLoss.Huber);

        double squaredError = Distance(squared, truth), huberError = Distance(huber, truth);
        Assert.IsLessThan(0.2, huberError, $"Huber is {huberError} from the truth");
        Assert.IsLessThan(squaredError / 10, huberError, $"Huber {huberError}, squared {squaredError}");
    }

    private static float[] Fit(RegressionRow[] rows, RegressionLoss loss)
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            LossFunction = loss,
            HuberDelta = 1,
            NumberOfEpochs = 50,
            BatchSize = 32,
        }).Fit(ml.Data.LoadFromEnumerable(rows));
        return [.. Weights(model), model.Model.Bias];
    }
}
