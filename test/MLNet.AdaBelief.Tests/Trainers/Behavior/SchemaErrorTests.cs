using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// Bad input fails before training: no valid row gives a clear error, and a missing or mistyped column gives the
/// exception type and message that ML.NET's built-in trainer of the same task throws from Fit on the same data.
/// </summary>
[TestClass]
public sealed class SchemaErrorTests
{
    /// <summary>One row type with columns of many types; each case picks its columns by name.</summary>
    private sealed class MixedRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [1f, 2f, 3f];

        [VectorType(FeatureCount)]
        public double[] DoubleFeatures { get; set; } = [1, 2, 3];

        public float[] VariableFeatures { get; set; } = [1f, 2f, 3f];

        public float ScalarFeature { get; set; } = 1f;

        public float Single { get; set; } = 1f;

        public double Double { get; set; } = 1;

        public bool Flag { get; set; } = true;

        public uint Count { get; set; } = 2;

        [KeyType(3)]
        public uint Key { get; set; } = 2;
    }

    private static IDataView Mixed(MLContext ml) =>
        ml.Data.LoadFromEnumerable([new MixedRow(), new MixedRow { Flag = false, Single = 2, Key = 1 }]);

    [TestMethod]
    public void NoValidRow_ThrowsInvalidOperationMentioningZeroInstances_BeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        RegressionRow[] rows =
        [
            new() { Features = [float.NaN, 1, 1], Label = 1 },
            new() { Features = [1, 1, 1], Label = float.NaN },
            new() { Features = [1, 1, 1], Label = 1, Weight = 0 },
        ];
        int epochs = 0;
        var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
        {
            ExampleWeightColumnName = "Weight",
            NumberOfEpochs = 2,
            ProgressCallback = _ => epochs++,
        });

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("0 instances", error.Message);
        Assert.AreEqual(0, epochs);
        Assert.IsEmpty(trainer.TrainingHistory);
    }

    [TestMethod]
    public void NoValidRow_Multiclass_AllLabelsMissing_Throws()
    {
        var ml = new MLContext(seed: 1);
        ClassRow[] vocabulary = [new() { Features = [1, 2, 3], Class = 1 }, new() { Features = [1, 2, 3], Class = 2 }];
        ClassRow[] rows = [new() { Features = [1, 2, 3], Class = 5 }, new() { Features = [3, 2, 1], Class = 6 }];
        IDataView data = MapClassesToKeys(ml, rows, vocabulary);

        var error = Assert.ThrowsExactly<InvalidOperationException>(
            () => ml.MulticlassClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(data));

        Assert.Contains("0 instances", error.Message);
    }

    [TestMethod]
    public void Regression_MissingOrMistypedColumns_ThrowAsSdcaDoes()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Mixed(ml);
        (string Label, string Features, string? Weight)[] cases =
        [
            ("Single", "Nope", null),
            ("Nope", "Features", null),
            ("Single", "Features", "Nope"),
            ("Double", "Features", null),
            ("Flag", "Features", null),
            ("Key", "Features", null),
            ("Single", "Features", "Double"),
            ("Single", "Features", "Flag"),
            ("Single", "DoubleFeatures", null),
            ("Single", "VariableFeatures", null),
            ("Single", "ScalarFeature", null),
        ];

        foreach (var (label, features, weight) in cases)
        {
            string name = $"label {label}, features {features}, weight {weight}";
            Exception expected = Capture(() => ml.Regression.Trainers.Sdca(label, features, weight).Fit(data), name);
            int epochs = 0;
            var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
            {
                LabelColumnName = label,
                FeatureColumnName = features,
                ExampleWeightColumnName = weight,
                NumberOfEpochs = 1,
                ProgressCallback = _ => epochs++,
            });
            AssertSameError(expected, Capture(() => trainer.Fit(data), name), name);
            Assert.AreEqual(0, epochs, name);
        }
    }

    [TestMethod]
    public void Binary_MissingOrMistypedColumns_ThrowAsLbfgsLogisticRegressionDoes()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Mixed(ml);
        (string Label, string Features, string? Weight)[] cases =
        [
            ("Flag", "Nope", null),
            ("Nope", "Features", null),
            ("Flag", "Features", "Nope"),
            ("Single", "Features", null),
            ("Double", "Features", null),
            ("Key", "Features", null),
            ("Features", "Features", null),
            ("Flag", "Features", "Double"),
            ("Flag", "Features", "Flag"),
            ("Flag", "DoubleFeatures", null),
            ("Flag", "VariableFeatures", null),
            ("Flag", "ScalarFeature", null),
        ];

        foreach (var (label, features, weight) in cases)
        {
            string name = $"label {label}, features {features}, weight {weight}";
            Exception expected = Capture(() => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(label, features, weight).Fit(data), name);
            var trainer = ml.BinaryClassification.Trainers.AdaBelief(label, features, weight, numberOfEpochs: 1);
            AssertSameError(expected, Capture(() => trainer.Fit(data), name), name);
            Assert.IsEmpty(trainer.TrainingHistory, name);
        }
    }

    [TestMethod]
    public void Multiclass_MissingOrMistypedColumns_ThrowAsLbfgsMaximumEntropyDoes()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Mixed(ml);
        (string Label, string Features, string? Weight)[] cases =
        [
            ("Key", "Nope", null),
            ("Nope", "Features", null),
            ("Key", "Features", "Nope"),
            ("Flag", "Features", null),
            ("Double", "Features", null),
            ("Count", "Features", null),
            ("Features", "Features", null),
            ("Key", "Features", "Double"),
            ("Key", "Features", "Key"),
            ("Key", "DoubleFeatures", null),
            ("Key", "VariableFeatures", null),
            ("Key", "ScalarFeature", null),
        ];

        foreach (var (label, features, weight) in cases)
        {
            string name = $"label {label}, features {features}, weight {weight}";
            Exception expected = Capture(() => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(label, features, weight).Fit(data), name);
            var trainer = ml.MulticlassClassification.Trainers.AdaBelief(label, features, weight, numberOfEpochs: 1);
            AssertSameError(expected, Capture(() => trainer.Fit(data), name), name);
            Assert.IsEmpty(trainer.TrainingHistory, name);
        }
    }

    [TestMethod]
    public void MistypedValidationData_ThrowsAsSdcaDoesForTrainingData()
    {
        var ml = new MLContext(seed: 1);
        IDataView good = ml.Data.LoadFromEnumerable(Regression(20, seed: 1));
        IDataView validation = ml.Data.LoadFromEnumerable([new MixedRow()]);
        var options = new AdaBeliefRegressionTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfEpochs = 1 };

        Exception expected = Capture(() => ml.Regression.Trainers.Sdca().Fit(validation), "Sdca");
        var trainer = ml.Regression.Trainers.AdaBelief(options);

        AssertSameError(expected, Capture(() => trainer.Fit(good, validation), "validation"), "validation");
        Assert.IsEmpty(trainer.TrainingHistory);
    }

    private static Exception Capture(Action fit, string testCase)
    {
        try
        {
            fit();
        }
#pragma warning disable CA1031 // the exception itself is what is compared
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }

        Assert.Fail($"{testCase}: Fit did not throw.");
        return null!;
    }

    private static void AssertSameError(Exception expected, Exception actual, string testCase)
    {
        Assert.AreEqual(expected.GetType(), actual.GetType(), $"{testCase}: {actual}");
        Assert.AreEqual(expected.Message, actual.Message, testCase);
    }
}
