using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>The scaling measured in one pass, and its fold into raw-space weights.</summary>
[TestClass]
public sealed class FeatureScalingTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void FoldedWeightsOnRawRows_PredictAsTheScaledModelOnScaledRows(bool sparse)
    {
        TestRows data = TrainingTestData.Random(5, rows: 40, features: 6, (_, x) => x[0]);
        DataStatistics statistics = DataStatistics.Compute(data.Rows(sparse), measureFeatures: true, classCount: 0, sparseSpread: true);
        var scaling = new FeatureScaling(statistics.FeatureMean, statistics.FeatureSpread!);
        Assert.AreEqual(sparse, scaling.Mean.IsEmpty, "sparse rows are never centered");

        var random = new Random(6);
        const int outputs = 3;
        float[] scaledWeights = Enumerable.Range(0, outputs * 6).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] scaledBiases = [0.5f, -1f, 2f];
        float[] rawWeights = new float[scaledWeights.Length], rawBiases = new float[outputs];
        scaling.ToRaw(scaledWeights, scaledBiases, rawWeights, rawBiases);

        // The scaled row, from the measured statistics: (x − μ) / σ, or x / σ for sparse rows, which are not centered.
        var scaledRow = new float[6];
        foreach (float[] x in data.Features)
        {
            for (int j = 0; j < x.Length; j++)
                scaledRow[j] = (float)((x[j] - (sparse ? 0 : statistics.FeatureMean![j])) / statistics.FeatureSpread![j]);
            double[] raw = TrainingTestData.Scores(new LinearModelWeights(rawWeights, rawBiases), x);
            double[] scaled = TrainingTestData.Scores(new LinearModelWeights(scaledWeights, scaledBiases), scaledRow);
            for (int k = 0; k < outputs; k++)
                Assert.AreEqual(scaled[k], raw[k], 1e-5 * Math.Max(1, Math.Abs(scaled[k])));
        }

        float[] backWeights = new float[scaledWeights.Length], backBiases = new float[outputs];
        scaling.FromRaw(rawWeights, rawBiases, backWeights, backBiases);
        for (int p = 0; p < backWeights.Length; p++)
            Assert.AreEqual(scaledWeights[p], backWeights[p], 1e-6f, "FromRaw undoes ToRaw");
        for (int k = 0; k < outputs; k++)
            Assert.AreEqual(scaledBiases[k], backBiases[k], 1e-5f);
    }

    [TestMethod]
    public void Statistics_AreWeighted_AndConstantFeatureGetsScaleOne()
    {
        var store = new RowStore(2, sparse: false);
        store.AddDenseRow([1000f, 7f], label: 1f, weight: 1f);
        store.AddDenseRow([1002f, 7f], label: 4f, weight: 3f);
        DataStatistics statistics = DataStatistics.Compute(new InMemoryTrainingRows(store), measureFeatures: true, classCount: 0);

        Assert.AreEqual(4, statistics.TotalWeight);
        Assert.AreEqual(3.25, statistics.LabelMean, 1e-12);
        Assert.AreEqual(1001.5, statistics.FeatureMean![0], 1e-9);
        Assert.AreEqual(Math.Sqrt(0.75), statistics.FeatureSpread![0], 1e-6); // weighted variance (1·1.5² + 3·0.5²)/4
        Assert.AreEqual(0, statistics.FeatureSpread[1]);

        var scaling = new FeatureScaling(statistics.FeatureMean, statistics.FeatureSpread);
        Assert.AreEqual(1f, scaling.RawFactor[1], "a constant feature is left unscaled");
    }

    [TestMethod]
    public void SparseSpread_IsRootMeanSquareOverAllRows()
    {
        var store = new RowStore(3, sparse: true);
        store.AddSparseRow([1], [3f], 3, label: 0f);
        store.AddSparseRow([], [], 3, label: 0f);
        store.AddDenseRow([0f, 4f, 0f], label: 0f);
        DataStatistics statistics = DataStatistics.Compute(new InMemoryTrainingRows(store), measureFeatures: true, classCount: 0, sparseSpread: true);
        Assert.IsNull(statistics.FeatureMean);
        Assert.AreEqual(Math.Sqrt(25.0 / 3), statistics.FeatureSpread![1], 1e-9);
        Assert.AreEqual(0, statistics.FeatureSpread[0]);
    }
}
