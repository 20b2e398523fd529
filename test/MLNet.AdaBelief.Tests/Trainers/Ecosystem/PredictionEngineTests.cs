using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

/// <summary>A prediction engine's single-row answer is the batch transform's answer for that row.</summary>
[TestClass]
public sealed class PredictionEngineTests
{
    private const int Row = 7;

    [TestMethod]
    public void Regression_PredictionEngine_EqualsBatchScore()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainRegression(ml, Regression(ml));
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(20, TestSeed);

        using var engine = ml.Model.CreatePredictionEngine<SyntheticData.RegressionRow, RegressionPrediction>(model);
        RegressionPrediction prediction = engine.Predict(rows[Row]);

        float batch = Floats(model.Transform(SyntheticData.Load(ml, rows)), "Score")[Row];
        Assert.AreEqual(batch, prediction.Score);
    }

    [TestMethod]
    public void Binary_PredictionEngine_EqualsBatchScoreProbabilityAndLabel()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainBinary(ml, Binary(ml));
        SyntheticData.BinaryRow[] rows = SyntheticData.Binary(20, TestSeed);

        using var engine = ml.Model.CreatePredictionEngine<SyntheticData.BinaryRow, BinaryPrediction>(model);
        BinaryPrediction prediction = engine.Predict(rows[Row]);

        IDataView batch = model.Transform(SyntheticData.Load(ml, rows));
        Assert.AreEqual(Floats(batch, "Score")[Row], prediction.Score);
        Assert.AreEqual(Floats(batch, "Probability")[Row], prediction.Probability);
        Assert.AreEqual(batch.GetColumn<bool>("PredictedLabel").ElementAt(Row), prediction.PredictedLabel);
    }

    [TestMethod]
    public void Multiclass_PredictionEngine_EqualsBatchScoresAndLabel()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainMulticlass(ml, Multiclass(ml));
        SyntheticData.MulticlassRow[] rows = SyntheticData.Multiclass(20, TestSeed);

        // Scoring needs only the features: the input rows carry the raw class, not the key label.
        using var engine = ml.Model.CreatePredictionEngine<SyntheticData.MulticlassRow, MulticlassPrediction>(model);
        MulticlassPrediction prediction = engine.Predict(rows[Row]);

        IDataView batch = model.Transform(SyntheticData.Load(ml, rows));
        float[] scores = FlatVectors(batch, "Score");
        CollectionAssert.AreEqual(scores.AsSpan(Row * 3, 3).ToArray(), prediction.Score);
        Assert.AreEqual(batch.GetColumn<uint>("PredictedLabel").ElementAt(Row), prediction.PredictedLabel);
    }
}
