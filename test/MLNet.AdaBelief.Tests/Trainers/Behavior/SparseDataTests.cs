using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.AdaBelief.Trainers.Data;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// Feature columns of sparse VBuffers train and predict; the loader keeps rows sparse when under a quarter of the
/// values are nonzero, whatever form ML.NET hands the vectors in.
/// </summary>
[TestClass]
public sealed class SparseDataTests
{
    private static AdaBeliefRegressionTrainer.Options Options() =>
        new() { NumberOfEpochs = 30, BatchSize = 32, Seed = 5, LearningRate = 0.05 };

    [TestMethod]
    public void SparseVBuffers_TrainAndPredict_AndUseTheSparseLayout()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        WideRow[] rows = Wide(1000, seed: 1, nonZerosPerRow: 4, sparse: true);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        Assert.IsFalse(data.GetColumn<VBuffer<float>>("Features").First().IsDense, "the view hands out sparse vectors");

        var model = ml.Regression.Trainers.AdaBelief(Options()).Fit(data);

        Assert.IsTrue(log.Of(ChannelMessageKind.Info).Any(m => m.StartsWith("AdaBelief: 1000 rows (sparse, in memory)", StringComparison.Ordinal)));
        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(Wide(300, seed: 2, nonZerosPerRow: 4, sparse: true))));
        Assert.IsGreaterThan(0.99, metrics.RSquared, $"R² = {metrics.RSquared}");
        float[] weights = Weights(model);
        float[] truth = WideWeights();
        for (int j = 0; j < WideFeatureCount; j++)
            Assert.AreEqual(truth[j], weights[j], 0.05, $"weight {j}");
    }

    [TestMethod]
    public void SameValuesAsDenseOrSparseVBuffers_GiveBitIdenticalModels()
    {
        // The layout follows the count of nonzeros, not the form of the VBuffers, so both runs train on the same store.
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        var fromSparse = ml.Regression.Trainers.AdaBelief(Options()).Fit(ml.Data.LoadFromEnumerable(Wide(400, seed: 3, nonZerosPerRow: 4, sparse: true)));
        var fromDense = ml.Regression.Trainers.AdaBelief(Options()).Fit(ml.Data.LoadFromEnumerable(Wide(400, seed: 3, nonZerosPerRow: 4, sparse: false)));

        CollectionAssert.AreEqual(Weights(fromSparse), Weights(fromDense));
        Assert.AreEqual(fromSparse.Model.Bias, fromDense.Model.Bias);
        Assert.AreEqual(2, log.Of(ChannelMessageKind.Info).Count(m => m.StartsWith("AdaBelief: 400 rows (sparse,", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Loader_ChoosesLayoutByDensity_NotByVectorForm()
    {
        var ml = new MLContext(seed: 1);
        // 9 of 40 nonzero = 22.5 % < 25 %: sparse even when handed over dense.
        Assert.IsTrue(Load(ml, Wide(50, seed: 4, nonZerosPerRow: 9, sparse: false)).IsSparse, "22.5 % dense, as dense VBuffers");
        Assert.IsTrue(Load(ml, Wide(50, seed: 4, nonZerosPerRow: 9, sparse: true)).IsSparse, "22.5 % dense, as sparse VBuffers");
        // 10 of 40 = 25 %: dense even when handed over sparse.
        Assert.IsFalse(Load(ml, Wide(50, seed: 4, nonZerosPerRow: 10, sparse: true)).IsSparse, "25 % dense, as sparse VBuffers");
        Assert.IsFalse(Load(ml, Wide(50, seed: 4, nonZerosPerRow: 30, sparse: false)).IsSparse, "75 % dense");
    }

    [TestMethod]
    public void TextBagOfWords_TrainsBinaryClassifierOnSparseFeatures()
    {
        // A real ML.NET sparse source: word bags over a vocabulary, a handful of words per row.
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        string[] positive = ["good", "great", "fine", "nice", "superb"];
        string[] negative = ["bad", "awful", "poor", "nasty", "dire"];
        string[] neutral = ["the", "a", "film", "story", "cast", "plot", "scene", "music", "end", "day", "it", "was"];
        var random = new Random(6);
        var rows = Enumerable.Range(0, 600).Select(i =>
        {
            bool label = i % 2 == 0;
            string[] sentiment = label ? positive : negative;
            var words = Enumerable.Range(0, 4).Select(_ => neutral[random.Next(neutral.Length)]).Append(sentiment[random.Next(sentiment.Length)]);
            return new TextRow { Text = string.Join(' ', words.OrderBy(_ => random.Next())), Label = label };
        }).ToArray();
        IDataView data = ml.Data.LoadFromEnumerable(rows);

        var pipeline = ml.Transforms.Text.ProduceWordBags("Features", "Text")
            .Append(ml.BinaryClassification.Trainers.AdaBelief(numberOfEpochs: 10, batchSize: 32));
        var model = pipeline.Fit(data);

        Assert.IsTrue(log.Of(ChannelMessageKind.Info).Any(m => m.StartsWith("AdaBelief: 600 rows (sparse,", StringComparison.Ordinal)));
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
        Assert.IsGreaterThan(0.99, metrics.Accuracy, $"accuracy {metrics.Accuracy}");
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }

    private static LoadedTrainingData Load(MLContext ml, WideRow[] rows)
    {
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        TrainingColumns columns = TrainingColumns.Resolve(data.Schema, "Label", "Features", null, LabelKind.Real);
        return TrainingDataLoader.Load(data, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
    }
}
