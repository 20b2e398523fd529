using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using MLNet.AdaBelief.Trainers.Interop;
using static MLNet.AdaBelief.Tests.Trainers.Interop.InteropTestData;

namespace MLNet.AdaBelief.Tests.Trainers.Interop;

[TestClass]
public sealed class MulticlassInteropTests
{
    // Sorted by value, so key k (1-based) is class k - 1.
    private static readonly string[] ClassNames = ["alpha", "beta", "gamma"];

    private static readonly float[][] Weights =
    [
        [1f, -0.5f, 0.25f],
        [-0.75f, 1.25f, 0f],
        [0.125f, 0.5f, -1f],
    ];

    private static readonly float[] Biases = [0.1f, -0.2f, 0.3f];

    private static readonly float[] NumericLabels = [3f, 1f, 2f];

    private static (MLContext Context, IDataView Data, MulticlassPredictionTransformer<MaximumEntropyModelParameters> Model) Build()
    {
        var mlContext = new MLContext(seed: 0);
        IDataView raw = mlContext.Data.LoadFromEnumerable(MulticlassRows(Weights, Biases, ClassNames));
        IDataView data = mlContext.Transforms.Conversion
            .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(raw)
            .Transform(raw);

        DataViewSchema.Column label = data.Schema["Label"];
        int numClasses = checked((int)((KeyDataViewType)label.Type).Count);
        string[]? labelNames = MulticlassLabelNames.FromLabelColumn(label, numClasses);
        VBuffer<float>[] weights = Weights.Select(w => new VBuffer<float>(w.Length, (float[])w.Clone())).ToArray();
        var parameters = MLNetModelFactory.CreateMaximumEntropy(
            mlContext, weights, (float[])Biases.Clone(), numClasses, FeatureCount, labelNames);
        var model = MLNetModelFactory.CreateMulticlassTransformer(mlContext, parameters, data.Schema, "Features", "Label");
        return (mlContext, data, model);
    }

    [TestMethod]
    public void ModelHoldsTheGivenWeightsBiasesAndLabelNames()
    {
        var (_, _, model) = Build();

        Assert.AreEqual(typeof(MulticlassPredictionTransformer<MaximumEntropyModelParameters>), model.GetType());
        Assert.AreEqual(typeof(MaximumEntropyModelParameters), model.Model.GetType());
        VBuffer<float>[] weights = default!;
        model.Model.GetWeights(ref weights, out int numClasses);
        Assert.AreEqual(ClassNames.Length, numClasses);
        for (int k = 0; k < numClasses; k++)
        {
            CollectionAssert.AreEqual(Weights[k], weights[k].DenseValues().ToArray(), $"class {k}");
        }

        CollectionAssert.AreEqual(Biases, model.Model.GetBiases().ToArray());
        CollectionAssert.AreEqual(ClassNames, LabelNamesOf(model.Model));
    }

    [TestMethod]
    public void ScoresAreTheSoftmaxAndPredictedLabelIsTheArgMax()
    {
        var (_, data, model) = Build();
        IDataView scored = model.Transform(data);

        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        uint[] predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();

        Assert.HasCount(RowCount, scores);
        for (int i = 0; i < RowCount; i++)
        {
            double[] expected = Softmax(Features(i));
            Assert.HasCount(ClassNames.Length, scores[i]);
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.AreEqual(expected[k], scores[i][k], 1e-6, $"row {i}, class {k}");
            }

            int argMax = ArgMax(Weights, Biases, Features(i));
            Assert.AreEqual((uint)argMax + 1, predicted[i], $"row {i}: the predicted key is 1-based");
        }
    }

    [TestMethod]
    public void SavedModelLoadsInAFreshContextWithIdenticalOutput()
    {
        var (_, data, model) = Build();
        IDataView before = model.Transform(data);

        ITransformer loaded = SaveAndLoad(model, data.Schema);
        IDataView after = loaded.Transform(data);

        CollectionAssert.AreEqual(
            Bits(before.GetColumn<float[]>("Score").SelectMany(s => s)),
            Bits(after.GetColumn<float[]>("Score").SelectMany(s => s)));
        CollectionAssert.AreEqual(
            before.GetColumn<uint>("PredictedLabel").ToArray(), after.GetColumn<uint>("PredictedLabel").ToArray());
        var typed = (MulticlassPredictionTransformer<MaximumEntropyModelParameters>)loaded;
        CollectionAssert.AreEqual(ClassNames, LabelNamesOf(typed.Model));
    }

    [TestMethod]
    public void EvaluateSeesAPerfectClassifier()
    {
        var (mlContext, data, model) = Build();

        MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(data));

        Assert.AreEqual(1.0, metrics.MicroAccuracy);
        Assert.AreEqual(1.0, metrics.MacroAccuracy);
        Assert.IsGreaterThan(0.0, metrics.LogLoss);
    }

    [TestMethod]
    public void OutputSettingsAndLabelNamesMatchLbfgsMaximumEntropy()
    {
        var (mlContext, data, model) = Build();

        var builtIn = mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(optimizationTolerance: 1e-2f).Fit(data);

        AssertSameOutputSchema(builtIn.GetOutputSchema(data.Schema), model.GetOutputSchema(data.Schema));
        AssertSameTransformerSettings(builtIn, model);
        Assert.AreEqual(builtIn.Model.GetType(), model.Model.GetType());
        CollectionAssert.AreEqual(LabelNamesOf(builtIn.Model), LabelNamesOf(model.Model));
        Assert.AreEqual(SaveAndLoad(builtIn, data.Schema).GetType(), SaveAndLoad(model, data.Schema).GetType());
        CollectionAssert.AreEqual(ScoreSlotNames(builtIn.Transform(data)), ScoreSlotNames(model.Transform(data)));
    }

    [TestMethod]
    public void LabelNamesAreNullWhenTheKeyValuesAreNotText()
    {
        var mlContext = new MLContext(seed: 0);
        IDataView raw = mlContext.Data.LoadFromEnumerable(
            NumericLabels.Select(v => new NumericLabelRow { Label = v }));
        IDataView data = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);

        Assert.IsNull(MulticlassLabelNames.FromLabelColumn(data.Schema["Label"], 3));
    }

    [TestMethod]
    public void LabelNamesAreNullWhenTheirCountIsNotTheClassCount()
    {
        var (_, data, _) = Build();

        Assert.IsNull(MulticlassLabelNames.FromLabelColumn(data.Schema["Label"], ClassNames.Length + 1));
    }

    [TestMethod]
    public void LabelNamesOfTheWrongLengthAreRejected()
    {
        var mlContext = new MLContext(seed: 0);
        VBuffer<float>[] weights = [new(1, [1f]), new(1, [2f])];

        Assert.ThrowsExactly<ArgumentException>(
            () => MLNetModelFactory.CreateMaximumEntropy(mlContext, weights, [0f, 0f], 2, 1, ["only-one"]));
    }

    private static double[] Softmax(float[] x)
    {
        double[] z = Weights.Select((w, k) => (double)Affine(w, Biases[k], x)).ToArray();
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static string[]? LabelNamesOf(MaximumEntropyModelParameters model)
    {
        FieldInfo? field = typeof(LinearMulticlassModelParametersBase)
            .GetField("_labelNames", BindingFlags.NonPublic | BindingFlags.Instance);
        Assert.IsNotNull(field, "LinearMulticlassModelParametersBase._labelNames");
        return (string[]?)field.GetValue(model);
    }

    private static string[] ScoreSlotNames(IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    internal sealed class NumericLabelRow
    {
        public float Label { get; set; }
    }
}
