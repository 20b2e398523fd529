using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNet.AdaBelief.Tests.Trainers;

[TestClass]
public sealed class RegressionTrainerTests
{
    [TestMethod]
    public void Fit_RawFeaturesOfMixedScale_RecoversLinearModel()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = SyntheticData.Load(ml, SyntheticData.Regression(2000, seed: 2));
        var trainer = ml.Regression.Trainers.AdaBelief();

        RegressionPredictionTransformer<LinearRegressionModelParameters> model = trainer.Fit(data);

        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(data));
        Assert.IsGreaterThan(0.999, metrics.RSquared, $"R² = {metrics.RSquared}");
        float[] weights = model.Model.Weights.ToArray();
        for (int j = 0; j < weights.Length; j++)
            Assert.AreEqual(SyntheticData.TrueWeights[j], weights[j], 0.02 * Math.Abs(SyntheticData.TrueWeights[j]) + 1e-4, $"weight {j}");
        Assert.AreEqual(SyntheticData.TrueBias, model.Model.Bias, 0.05);
        Assert.IsNotEmpty(trainer.TrainingHistory);
    }
}
