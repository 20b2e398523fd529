using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

/// <summary>Permutation feature importance and feature contributions on the trained models.</summary>
[TestClass]
public sealed class ExplainabilityTests
{
    // Feature j moves the synthetic target by weight × scale over its range: 2, 1.5, 1.2, 2, 2.1. Feature 4
    // leads features 0 and 3 by only 5 %, so importance is measured on enough rows for that gap to show.
    private const int ImportanceRows = 10_000;

    [TestMethod]
    public void SyntheticData_DominantFeatureIsTheLastOne()
    {
        Assert.AreEqual(4, DominantFeature);
        Assert.AreEqual(2, WeakestFeature);
    }

    [TestMethod]
    public void Regression_PermutationFeatureImportance_RanksDominantFeatureFirst()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainRegression(ml, Regression(ml));
        IDataView data = model.Transform(Regression(ml, ImportanceRows, TestSeed));

        var importance = ml.Regression.PermutationFeatureImportance(model, data, permutationCount: 1);

        double[] increase = importance.Select(m => m.MeanSquaredError.Mean).ToArray();
        AssertRanking(increase);
    }

    [TestMethod]
    public void Binary_PermutationFeatureImportance_RanksDominantFeatureFirst()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainBinary(ml, Binary(ml));
        IDataView data = model.Transform(Binary(ml, ImportanceRows, TestSeed));

        var importance = ml.BinaryClassification.PermutationFeatureImportance(model, data, permutationCount: 1);

        // The change in AUC is negative: permuting a feature makes the ranking worse.
        double[] decrease = importance.Select(m => -m.AreaUnderRocCurve.Mean).ToArray();
        AssertRanking(decrease);
    }

    [TestMethod]
    public void Multiclass_PermutationFeatureImportance_RanksDominantFeatureFirst()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainMulticlass(ml, Multiclass(ml));
        IDataView data = model.Transform(Multiclass(ml, ImportanceRows, TestSeed));

        var importance = ml.MulticlassClassification.PermutationFeatureImportance(model, data, permutationCount: 1);

        double[] increase = importance.Select(m => m.LogLoss.Mean).ToArray();
        AssertRanking(increase);
    }

    [TestMethod]
    public void Regression_CalculateFeatureContribution_AddsWeightTimesFeature()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainRegression(ml, Regression(ml));
        IDataView data = Regression(ml, 20, TestSeed);

        var contributions = ml.Transforms.CalculateFeatureContribution(model, normalize: false).Fit(data).Transform(data);

        float[] weights = model.Model.Weights.ToArray();
        AssertContributions(contributions, weights);
    }

    [TestMethod]
    public void Binary_CalculateFeatureContribution_AddsWeightTimesFeature()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainBinary(ml, Binary(ml));
        IDataView data = Binary(ml, 20, TestSeed);

        var contributions = ml.Transforms.CalculateFeatureContribution(model, normalize: false).Fit(data).Transform(data);

        float[] weights = model.Model.SubModel.Weights.ToArray();
        AssertContributions(contributions, weights);
    }

    private static void AssertRanking(double[] importance)
    {
        Assert.HasCount(SyntheticData.FeatureCount, importance);
        string all = string.Join(", ", importance.Select((v, j) => $"{j}: {v:G4}"));
        Assert.AreEqual(DominantFeature, Array.IndexOf(importance, importance.Max()), $"importance {all}");
        Assert.AreEqual(WeakestFeature, Array.IndexOf(importance, importance.Min()), $"importance {all}");
        Assert.IsTrue(importance.All(v => v > 0), $"importance {all}");
    }

    private static void AssertContributions(IDataView contributions, float[] weights)
    {
        DataViewSchema.Column column = contributions.Schema["FeatureContributions"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, SyntheticData.FeatureCount), column.Type);

        float[] features = FlatFeatures(contributions);
        float[] actual = FlatVectors(contributions, "FeatureContributions");
        Assert.HasCount(features.Length, actual);
        for (int i = 0; i < actual.Length; i++)
        {
            float expected = weights[i % weights.Length] * features[i];
            Assert.AreEqual(expected, actual[i], 1e-5f * Math.Max(1, Math.Abs(expected)), $"contribution {i}");
        }
    }
}
