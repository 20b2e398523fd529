using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief.Trainers.Interop;
using static MLNet.AdaBelief.Tests.Trainers.Interop.InteropTestData;

namespace MLNet.AdaBelief.Tests.Trainers.Interop;

[TestClass]
public sealed class LinearRegressionInteropTests
{
    private static readonly float[] Weights = [0.5f, -1.25f, 2f];
    private const float Bias = 0.75f;

    private static (MLContext Context, IDataView Data, RegressionPredictionTransformer<LinearRegressionModelParameters> Model) Build()
    {
        var mlContext = new MLContext(seed: 0);
        IDataView data = mlContext.Data.LoadFromEnumerable(RegressionRows(Weights, Bias));
        LinearRegressionModelParameters parameters = MLNetModelFactory.CreateLinearRegression(mlContext, Weights, Bias);
        var model = MLNetModelFactory.CreateRegressionTransformer(mlContext, parameters, data.Schema, "Features");
        return (mlContext, data, model);
    }

    [TestMethod]
    public void ModelHoldsTheGivenWeightsAndBias()
    {
        var (_, _, model) = Build();

        Assert.AreEqual(typeof(RegressionPredictionTransformer<LinearRegressionModelParameters>), model.GetType());
        Assert.AreEqual(typeof(LinearRegressionModelParameters), model.Model.GetType());
        CollectionAssert.AreEqual(Weights, model.Model.Weights.ToArray());
        Assert.AreEqual(Bias, model.Model.Bias);
        Assert.AreEqual("Features", model.FeatureColumnName);
    }

    [TestMethod]
    public void ScoreIsTheAffineFunctionOfTheFeatures()
    {
        var (_, data, model) = Build();

        float[] scores = model.Transform(data).GetColumn<float>("Score").ToArray();

        Assert.HasCount(RowCount, scores);
        for (int i = 0; i < RowCount; i++)
        {
            float expected = Affine(Weights, Bias, Features(i));
            Assert.AreEqual(expected, scores[i], 1e-6f * Math.Max(1f, Math.Abs(expected)), $"row {i}");
        }
    }

    [TestMethod]
    public void SavedModelLoadsInAFreshContextWithIdenticalScores()
    {
        var (_, data, model) = Build();
        float[] before = model.Transform(data).GetColumn<float>("Score").ToArray();

        ITransformer loaded = SaveAndLoad(model, data.Schema);
        float[] after = loaded.Transform(data).GetColumn<float>("Score").ToArray();

        CollectionAssert.AreEqual(Bits(before), Bits(after));
        var typed = (RegressionPredictionTransformer<LinearRegressionModelParameters>)loaded;
        CollectionAssert.AreEqual(Weights, typed.Model.Weights.ToArray());
    }

    [TestMethod]
    public void EvaluateSeesAPerfectFit()
    {
        var (mlContext, data, model) = Build();

        RegressionMetrics metrics = mlContext.Regression.Evaluate(model.Transform(data));

        Assert.IsLessThan(1e-5, metrics.RootMeanSquaredError);
        Assert.IsGreaterThan(0.999999, metrics.RSquared);
    }

    [TestMethod]
    public void OutputMatchesBuiltInLinearRegressionTrainers()
    {
        var (mlContext, data, model) = Build();
        var trainers = new Func<RegressionPredictionTransformer<LinearRegressionModelParameters>>[]
        {
            () => mlContext.Regression.Trainers.OnlineGradientDescent(numberOfIterations: 1).Fit(data),
            () => mlContext.Regression.Trainers.Sdca(maximumNumberOfIterations: 1).Fit(data),
        };

        foreach (var train in trainers)
        {
            var builtIn = train();
            AssertSameOutputSchema(builtIn.GetOutputSchema(data.Schema), model.GetOutputSchema(data.Schema));
            Assert.AreEqual(builtIn.GetType(), model.GetType());
            Assert.AreEqual(builtIn.Model.GetType(), model.Model.GetType());
            Assert.AreEqual(SaveAndLoad(builtIn, data.Schema).GetType(), SaveAndLoad(model, data.Schema).GetType());
        }
    }
}
