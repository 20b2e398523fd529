using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief.Trainers.Interop;
using static MLNet.AdaBelief.Tests.Trainers.Interop.InteropTestData;

namespace MLNet.AdaBelief.Tests.Trainers.Interop;

[TestClass]
public sealed class BinaryInteropTests
{
    private static readonly float[] Weights = [1.5f, -0.75f, 0.5f];
    private const float Bias = -0.25f;

    private static (MLContext Context, IDataView Data, BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> Model) Build()
    {
        var mlContext = new MLContext(seed: 0);
        IDataView data = mlContext.Data.LoadFromEnumerable(BinaryRows(Weights, Bias));
        var parameters = MLNetModelFactory.CreateCalibratedLinearBinary(mlContext, Weights, Bias);
        var model = MLNetModelFactory.CreateBinaryTransformer(mlContext, parameters, data.Schema, "Features");
        return (mlContext, data, model);
    }

    [TestMethod]
    public void ModelIsTheSigmoidCalibratedLinearModel()
    {
        var (_, _, model) = Build();

        Assert.AreEqual(
            typeof(BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>),
            model.GetType());
        CollectionAssert.AreEqual(Weights, model.Model.SubModel.Weights.ToArray());
        Assert.AreEqual(Bias, model.Model.SubModel.Bias);
        Assert.AreEqual(-1.0, model.Model.Calibrator.Slope);
        Assert.AreEqual(0.0, model.Model.Calibrator.Offset);
    }

    [TestMethod]
    public void ScoreProbabilityAndPredictedLabelFollowTheLinearScore()
    {
        var (_, data, model) = Build();
        IDataView scored = model.Transform(data);

        float[] scores = scored.GetColumn<float>("Score").ToArray();
        float[] probabilities = scored.GetColumn<float>("Probability").ToArray();
        bool[] predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();

        Assert.HasCount(RowCount, scores);
        for (int i = 0; i < RowCount; i++)
        {
            float expected = Affine(Weights, Bias, Features(i));
            Assert.AreEqual(expected, scores[i], 1e-6f * Math.Max(1f, Math.Abs(expected)), $"score, row {i}");
            Assert.AreEqual(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 1e-6, $"probability, row {i}");
            Assert.AreEqual(scores[i] > 0, predicted[i], $"predicted label, row {i}");
        }
    }

    [TestMethod]
    public void SavedModelLoadsInAFreshContextWithIdenticalOutput()
    {
        var (_, data, model) = Build();
        IDataView before = model.Transform(data);

        IDataView after = SaveAndLoad(model, data.Schema).Transform(data);

        CollectionAssert.AreEqual(Bits(before.GetColumn<float>("Score")), Bits(after.GetColumn<float>("Score")));
        CollectionAssert.AreEqual(Bits(before.GetColumn<float>("Probability")), Bits(after.GetColumn<float>("Probability")));
        CollectionAssert.AreEqual(
            before.GetColumn<bool>("PredictedLabel").ToArray(), after.GetColumn<bool>("PredictedLabel").ToArray());
    }

    [TestMethod]
    public void EvaluateSeesAPerfectClassifier()
    {
        var (mlContext, data, model) = Build();

        CalibratedBinaryClassificationMetrics metrics = mlContext.BinaryClassification.Evaluate(model.Transform(data));

        Assert.AreEqual(1.0, metrics.Accuracy);
        Assert.AreEqual(1.0, metrics.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.0, metrics.LogLoss);
    }

    [TestMethod]
    public void OutputAndSettingsMatchLbfgsLogisticRegression()
    {
        var (mlContext, data, model) = Build();

        var builtIn = mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(optimizationTolerance: 1e-2f).Fit(data);

        AssertSameOutputSchema(builtIn.GetOutputSchema(data.Schema), model.GetOutputSchema(data.Schema));
        AssertSameTransformerSettings(builtIn, model);
        Assert.AreEqual(builtIn.Model.GetType(), model.Model.GetType());
        Assert.AreEqual(builtIn.Model.Calibrator.Slope, model.Model.Calibrator.Slope);
        Assert.AreEqual(builtIn.Model.Calibrator.Offset, model.Model.Calibrator.Offset);
        Assert.AreEqual(SaveAndLoad(builtIn, data.Schema).GetType(), SaveAndLoad(model, data.Schema).GetType());
    }
}
