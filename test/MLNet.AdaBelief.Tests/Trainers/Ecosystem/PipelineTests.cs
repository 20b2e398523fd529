using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNet.AdaBelief.Trainers.Interop;
using static MLNet.AdaBelief.Tests.Trainers.Ecosystem.EcosystemData;

namespace MLNet.AdaBelief.Tests.Trainers.Ecosystem;

/// <summary>
/// The trainers as the last step of an <c>Append</c> chain, and their output shapes and schema errors next to those of
/// the built-in trainer of the same task.
/// </summary>
[TestClass]
public sealed class PipelineTests
{
    private static IDataView Columns(MLContext ml, int rows = TrainRows, int seed = TrainSeed) =>
        ml.Data.LoadFromEnumerable(EcosystemData.Columns(rows, seed));

    private static ColumnConcatenatingEstimator Concatenate(MLContext ml) => ml.Transforms.Concatenate("Features", ColumnNames);

    [TestMethod]
    public void Regression_ConcatenateThenTrainer_FitsAndScores()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Concatenate("Features", ColumnNames)
            .Append(ml.Regression.Trainers.AdaBelief(labelColumnName: "RealLabel"));

        var model = pipeline.Fit(Columns(ml));

        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(Columns(ml, TestRows, TestSeed)), labelColumnName: "RealLabel");
        Assert.IsGreaterThan(0.99, metrics.RSquared, $"R² = {metrics.RSquared}");
    }

    [TestMethod]
    public void Binary_ConcatenateThenTrainer_FitsAndScores()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Concatenate("Features", ColumnNames)
            .Append(ml.BinaryClassification.Trainers.AdaBelief(labelColumnName: "BoolLabel"));

        var model = pipeline.Fit(Columns(ml));

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(Columns(ml, TestRows, TestSeed)), labelColumnName: "BoolLabel");
        Assert.IsGreaterThan(0.95, metrics.AreaUnderRocCurve, $"AUC = {metrics.AreaUnderRocCurve}");
    }

    [TestMethod]
    public void Multiclass_ConcatenateMapKeyThenTrainer_FitsAndScores()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Concatenate("Features", ColumnNames)
            .Append(MapClassToKey(ml))
            .Append(ml.MulticlassClassification.Trainers.AdaBelief())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

        var model = pipeline.Fit(Columns(ml));

        IDataView scored = model.Transform(Columns(ml, TestRows, TestSeed));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.IsGreaterThan(0.9, metrics.MacroAccuracy, $"macro accuracy = {metrics.MacroAccuracy}");
        // The predicted key maps back to the original class values.
        uint[] predicted = scored.GetColumn<uint>("PredictedClass").ToArray();
        uint[] truth = scored.GetColumn<uint>("Class").ToArray();
        Assert.IsGreaterThan(0.9, predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length);
    }

    [TestMethod]
    public void Regression_OutputSchemaAndErrors_MatchSdca()
    {
        var ml = new MLContext(seed: 1);
        AssertLikeBuiltIn(
            Columns(ml, 10, TrainSeed),
            Concatenate(ml),
            (label, features) => ml.Regression.Trainers.AdaBelief(labelColumnName: label, featureColumnName: features),
            (label, features) => ml.Regression.Trainers.Sdca(labelColumnName: label, featureColumnName: features),
            label: "RealLabel",
            wrongTypeLabel: "BoolLabel");
    }

    [TestMethod]
    public void Binary_OutputSchemaAndErrors_MatchLbfgsLogisticRegression()
    {
        var ml = new MLContext(seed: 1);
        AssertLikeBuiltIn(
            Columns(ml, 10, TrainSeed),
            Concatenate(ml),
            (label, features) => ml.BinaryClassification.Trainers.AdaBelief(labelColumnName: label, featureColumnName: features),
            (label, features) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: label, featureColumnName: features),
            label: "BoolLabel",
            wrongTypeLabel: "RealLabel");
    }

    [TestMethod]
    public void Multiclass_OutputSchemaAndErrors_MatchLbfgsMaximumEntropy()
    {
        var ml = new MLContext(seed: 1);
        AssertLikeBuiltIn(
            Columns(ml, 10, TrainSeed),
            Concatenate(ml).Append(MapClassToKey(ml)),
            (label, features) => ml.MulticlassClassification.Trainers.AdaBelief(labelColumnName: label, featureColumnName: features),
            (label, features) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumnName: label, featureColumnName: features),
            label: "Label",
            wrongTypeLabel: "RealLabel");
    }

    private static void AssertLikeBuiltIn(
        IDataView raw,
        IEstimator<ITransformer> featurizer,
        Func<string, string, IEstimator<ITransformer>> adaBelief,
        Func<string, string, IEstimator<ITransformer>> builtIn,
        string label,
        string wrongTypeLabel)
    {
        SchemaShape shape = featurizer.GetOutputSchema(MLNetModelFactory.CreateSchemaShape(raw.Schema));

        SchemaShape ours = adaBelief(label, "Features").GetOutputSchema(shape);
        SchemaShape theirs = builtIn(label, "Features").GetOutputSchema(shape);
        Assert.AreEqual(Describe(theirs), Describe(ours));

        // Column checks: a feature column that is not there, and a label of the wrong type.
        AssertSameError(() => adaBelief(label, "Missing").GetOutputSchema(shape), () => builtIn(label, "Missing").GetOutputSchema(shape), "missing features");
        AssertSameError(() => adaBelief(wrongTypeLabel, "Features").GetOutputSchema(shape), () => builtIn(wrongTypeLabel, "Features").GetOutputSchema(shape), "wrong label type");

        // Fit runs the same checks before reading any data.
        IDataView featurized = featurizer.Fit(raw).Transform(raw);
        AssertSameError(() => adaBelief(label, "Missing").Fit(featurized), () => builtIn(label, "Missing").Fit(featurized), "Fit, missing features");
        AssertSameError(() => adaBelief(wrongTypeLabel, "Features").Fit(featurized), () => builtIn(wrongTypeLabel, "Features").Fit(featurized), "Fit, wrong label type");
    }

    private static string Describe(SchemaShape shape) => string.Join(
        "\n",
        shape.Select(c => $"{c.Name}: {c.Kind} {c.ItemType} key={c.IsKey} annotations=[{string.Join(", ", c.Annotations.Select(a => $"{a.Name}:{a.Kind} {a.ItemType}"))}]"));

    private static void AssertSameError(Action ours, Action theirs, string what)
    {
        Exception expected = Catch(theirs) ?? throw new AssertFailedException($"{what}: the built-in trainer did not throw");
        Exception actual = Catch(ours) ?? throw new AssertFailedException($"{what}: the AdaBelief trainer did not throw; built-in threw {expected}");
        Assert.AreEqual(expected.GetType(), actual.GetType(), $"{what}: {actual}");
        Assert.AreEqual(expected.Message, actual.Message, what);
    }

    private static Exception? Catch(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e) when (e is not AssertFailedException)
        {
            return e;
        }
    }
}
