using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>Each loss's value and gradient against the double-precision oracle, on dense and sparse rows with example weights.</summary>
[TestClass]
public sealed class LossGradientTests
{
    private const int Features = 7;
    private static readonly bool[] Layouts = [false, true];

    public static IEnumerable<object[]> Cases() =>
        from loss in Enum.GetValues<LinearModelLoss>()
        from sparse in Layouts
        select new object[] { loss.ToString(), sparse };

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void LossAndGradient_MatchOracle(string lossName, bool sparse)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = DataFor(loss, seed: 11);
        (float[] weights, float[] biases) = RandomModel(loss, seed: 12);
        (double value, float[] weightGradient, float[] biasGradient) = Compute(loss, data, sparse, weights, biases);

        double[] w = Array.ConvertAll(weights, v => (double)v), b = Array.ConvertAll(biases, v => (double)v);
        double expectedValue = ReferenceLosses.MeanLoss(loss, data, w, b, huberDelta: 0.7);
        double[] expected = ReferenceLosses.NumericGradient(loss, data, w, b, huberDelta: 0.7);
        float[] actual = [.. weightGradient, .. biasGradient];

        Assert.AreEqual(expectedValue, value, 1e-5 * Math.Max(1, Math.Abs(expectedValue)), "loss value");
        for (int p = 0; p < expected.Length; p++)
            Assert.AreEqual(expected[p], actual[p], 1e-4 * Math.Max(1, Math.Abs(expected[p])), $"gradient element {p}");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void DenseAndSparseStorage_GiveTheSameGradient(string lossName, bool unused)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        _ = unused;
        TestRows data = DataFor(loss, seed: 21);
        (float[] weights, float[] biases) = RandomModel(loss, seed: 22);
        (double denseValue, float[] denseWeights, float[] denseBiases) = Compute(loss, data, sparse: false, weights, biases);
        (double sparseValue, float[] sparseWeights, float[] sparseBiases) = Compute(loss, data, sparse: true, weights, biases);

        Assert.AreEqual(denseValue, sparseValue, 1e-5 * Math.Max(1, Math.Abs(denseValue)));
        float[] dense = [.. denseWeights, .. denseBiases], sparse = [.. sparseWeights, .. sparseBiases];
        for (int p = 0; p < dense.Length; p++)
            Assert.AreEqual(dense[p], sparse[p], 1e-5f * Math.Max(1, Math.Abs(dense[p])), $"element {p}");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void WeightOfTwo_EqualsTheRowTwice(string lossName, bool sparse)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = DataFor(loss, seed: 31) with { };
        float[] unit = Enumerable.Repeat(1f, data.Count).ToArray();
        unit[3] = 2f;
        TestRows weighted = data with { Weights = unit };
        TestRows duplicated = new(
            [.. data.Features, data.Features[3]], [.. data.Labels, data.Labels[3]], Enumerable.Repeat(1f, data.Count + 1).ToArray());
        (float[] weights, float[] biases) = RandomModel(loss, seed: 32);

        (double a, float[] aw, float[] ab) = Compute(loss, weighted, sparse, weights, biases);
        (double b, float[] bw, float[] bb) = Compute(loss, duplicated, sparse, weights, biases);
        Assert.AreEqual(b, a, 1e-6 * Math.Max(1, Math.Abs(b)));
        float[] first = [.. aw, .. ab], second = [.. bw, .. bb];
        for (int p = 0; p < first.Length; p++)
            Assert.AreEqual(second[p], first[p], 1e-5f * Math.Max(1, Math.Abs(second[p])), $"element {p}");
    }

    [TestMethod]
    public void Logistic_ConfidentlyWrongScore_IsFiniteAndLinear()
    {
        var store = new RowStore(1, sparse: false);
        store.AddDenseRow([1f], label: 0f);
        ILinearLoss loss = LinearLosses.Create(LinearModelLoss.Logistic);
        double value = loss.Evaluate(new RowBatch(store, [0]), [1000f], [0f]);
        Assert.AreEqual(1000, value, 1e-9);
    }

    [TestMethod]
    public void Softmax_DenseBatchOfSeveralChunks_MatchesOracle()
    {
        // 70 rows: two chunks of 32 and a short one; 21 features: a register and an overlapping tail; 6 classes: a
        // block of four and two single classes.
        const int Rows = 70, Width = 21, Classes = 6;
        TestRows data = TrainingTestData.Random(41, Rows, Width, (r, _) => r.Next(Classes));
        var random = new Random(42);
        float[] weights = [.. Enumerable.Range(0, Classes * Width).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] biases = [.. Enumerable.Range(0, Classes).Select(_ => (float)(random.NextDouble() - 0.5))];
        ILinearLoss implementation = LinearLosses.Create(LinearModelLoss.SoftmaxCrossEntropy, Classes);
        var batch = new RowBatch(data.Store(sparse: false), Enumerable.Range(0, Rows).Reverse().ToArray());
        double weightSum = batch.WeightSum();
        float[] weightGradient = new float[weights.Length], biasGradient = new float[Classes];

        double sum = implementation.Accumulate(batch, weights, biases, (float)(1 / weightSum), weightGradient, biasGradient);
        double value = sum / weightSum;

        double[] w = Array.ConvertAll(weights, v => (double)v), b = Array.ConvertAll(biases, v => (double)v);
        double expectedValue = ReferenceLosses.MeanLoss(LinearModelLoss.SoftmaxCrossEntropy, data, w, b);
        double[] expected = ReferenceLosses.NumericGradient(LinearModelLoss.SoftmaxCrossEntropy, data, w, b);
        float[] actual = [.. weightGradient, .. biasGradient];
        Assert.AreEqual(expectedValue, value, 1e-5 * Math.Max(1, Math.Abs(expectedValue)), "loss value");
        for (int p = 0; p < expected.Length; p++)
            Assert.AreEqual(expected[p], actual[p], 1e-4 * Math.Max(1, Math.Abs(expected[p])), $"gradient element {p}");
        Assert.AreEqual(sum, implementation.Evaluate(batch, weights, biases), "Evaluate and Accumulate agree");
    }

    [TestMethod]
    public void Softmax_LabelOutOfRange_Throws()
    {
        var store = new RowStore(1, sparse: false);
        store.AddDenseRow([1f], label: 3f);
        ILinearLoss loss = LinearLosses.Create(LinearModelLoss.SoftmaxCrossEntropy, classCount: 3);
        Assert.ThrowsExactly<ArgumentException>(() => loss.Evaluate(new RowBatch(store, [0]), new float[3], new float[3]));
    }

    private static TestRows DataFor(LinearModelLoss loss, int seed) =>
        TrainingTestData.Random(seed, rows: 12, Features, loss switch
        {
            LinearModelLoss.Logistic => (r, _) => r.Next(2),
            LinearModelLoss.SoftmaxCrossEntropy => (r, _) => r.Next(3),
            _ => (r, x) => x.Sum() + (float)(r.NextDouble() * 4 - 2),
        });

    private static (float[] Weights, float[] Biases) RandomModel(LinearModelLoss loss, int seed)
    {
        var random = new Random(seed);
        int k = loss == LinearModelLoss.SoftmaxCrossEntropy ? 3 : 1;
        return (
            Enumerable.Range(0, k * Features).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
            Enumerable.Range(0, k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
    }

    private static (double Value, float[] WeightGradient, float[] BiasGradient) Compute(LinearModelLoss loss, TestRows data, bool sparse, float[] weights, float[] biases)
    {
        ILinearLoss implementation = LinearLosses.Create(loss, classCount: 3, huberDelta: 0.7f);
        var batch = new RowBatch(data.Store(sparse), Enumerable.Range(0, data.Count).Reverse().ToArray());
        double weightSum = batch.WeightSum();
        float[] weightGradient = new float[weights.Length], biasGradient = new float[biases.Length];
        double sum = implementation.Accumulate(batch, weights, biases, (float)(1 / weightSum), weightGradient, biasGradient);
        Assert.AreEqual(sum, implementation.Evaluate(batch, weights, biases), "Evaluate and Accumulate agree");
        return (sum / weightSum, weightGradient, biasGradient);
    }
}
