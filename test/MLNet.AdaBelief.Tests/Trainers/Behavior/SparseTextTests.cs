using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// Text through ML.NET's FeaturizeText trains a multiclass model on the sparse path, streamed as in memory; rows
/// without a nonzero and features that are all zero train as before; a vector of unknown size is refused.
/// </summary>
[TestClass]
public sealed class SparseTextTests
{
    private static readonly string[][] Topics =
    [
        ["goal", "match", "league", "striker", "referee", "season"],
        ["court", "judge", "trial", "verdict", "appeal", "lawyer"],
        ["recipe", "oven", "flour", "butter", "dough", "bake"],
    ];

    private static readonly string[] Common = ["the", "a", "was", "after", "with", "new", "today", "report", "said", "again"];

    [TestMethod]
    public void FeaturizedText_MulticlassFits_AndStreamedEqualsInMemory()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Texts(900, seed: 2));
        IDataView test = ml.Data.LoadFromEnumerable(Texts(300, seed: 3));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("Features", "Text"));
        var featurizer = pipeline.Fit(train);
        IDataView features = featurizer.Transform(train);
        AdaBeliefMulticlassTrainer.Options Options(long budget) => new() { Seed = 4, NumberOfEpochs = 5, MemoryBudgetBytes = budget };

        var inMemory = ml.MulticlassClassification.Trainers.AdaBelief(Options(AdaBeliefTrainerDefaults.MemoryBudgetBytes)).Fit(features);
        var streamed = ml.MulticlassClassification.Trainers.AdaBelief(Options(0)).Fit(features);

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(inMemory.Transform(featurizer.Transform(test)));
        Assert.IsGreaterThan(0.95, metrics.MicroAccuracy, $"micro accuracy {metrics.MicroAccuracy}");
        VBuffer<float>[] a = [], b = [];
        inMemory.Model.GetWeights(ref a, out int classes);
        streamed.Model.GetWeights(ref b, out _);
        for (int k = 0; k < classes; k++)
            CollectionAssert.AreEqual(a[k].DenseValues().ToArray(), b[k].DenseValues().ToArray(), $"class {k}");
        CollectionAssert.AreEqual(inMemory.Model.GetBiases().ToArray(), streamed.Model.GetBiases().ToArray());
    }

    [TestMethod]
    public void EmptyRowsAndAllZeroFeatures_TrainTheBiasOnly()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 400).Select(i => new SparseRow
        {
            Label = i % 4 != 0,
            Features = i % 8 >= 4 ? new VBuffer<float>(8, 0, [], []) : new VBuffer<float>(8, 1, [1f], [3]),
        }).ToArray();

        // Feature 3 is set in half the rows, independently of the label (3 in 4 true either way); the other seven are
        // zero in every row, and the rows without feature 3 have no nonzero at all.
        var model = ml.BinaryClassification.Trainers.AdaBelief(new AdaBeliefBinaryTrainer.Options { Seed = 1, NumberOfEpochs = 3 })
            .Fit(ml.Data.LoadFromEnumerable(rows, Schema()));

        float[] weights = model.Model.SubModel.Weights.ToArray();
        for (int j = 0; j < 8; j++)
        {
            if (j != 3)
                Assert.AreEqual(0f, weights[j], $"feature {j} is zero in every row");
        }

        Assert.IsTrue(float.IsFinite(weights[3]) && float.IsFinite(model.Model.SubModel.Bias));
        Assert.AreEqual(Math.Log(3), model.Model.SubModel.Bias, 0.3, "the log-odds of 3/4");
        Assert.AreEqual(0, weights[3], 0.3, "feature 3 tells nothing about the label");
    }

    [TestMethod]
    public void VectorOfUnknownSize_IsRefusedNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { new UnknownSizeRow { Label = true, Features = [1f, 2f] }, new UnknownSizeRow { Label = false, Features = [0f, 1f] } };
        IDataView data = ml.Data.LoadFromEnumerable(rows);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.AdaBelief().Fit(data));
        StringAssert.Contains(error.Message, "Features");
    }

    private static TextRow[] Texts(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            int topic = random.Next(Topics.Length);
            var words = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? Topics[topic][random.Next(Topics[topic].Length)] : Common[random.Next(Common.Length)]);
            return new TextRow { Label = topic.ToString(System.Globalization.CultureInfo.InvariantCulture), Text = string.Join(' ', words) };
        }).ToArray();
    }

    private static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(SparseRow));
        schema[nameof(SparseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 8);
        return schema;
    }

    private sealed class TextRow
    {
        public string Label { get; set; } = string.Empty;

        public string Text { get; set; } = string.Empty;
    }

    private sealed class SparseRow
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }

    private sealed class UnknownSizeRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
