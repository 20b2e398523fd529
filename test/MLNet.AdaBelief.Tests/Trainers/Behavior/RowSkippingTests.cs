using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// Rows a built-in trainer would not train on (NaN or infinite feature, NaN label, missing key label, weight not in
/// (0, ∞)) are skipped and counted. The shuffle permutes positions among the valid rows only, so the model trained
/// with the bad rows in place is bit-identical to the model trained on the data with them removed.
/// </summary>
[TestClass]
public sealed class RowSkippingTests
{
    private const int Seed = 11;

    [TestMethod]
    public void Regression_BadRowsAreSkipped_ModelIsBitIdenticalToCleanData_AndCountIsLogged()
    {
        RegressionRow[] clean = Regression(300, seed: 1);
        var dirty = clean.ToList();

        // Each bad row is bad in exactly one respect, inserted at scattered positions.
        RegressionRow Bad(float[] x, float label, float weight) => new() { Features = x, Label = label, Weight = weight };
        dirty.Insert(0, Bad([float.NaN, 0, 0], 1, 1));
        dirty.Insert(17, Bad([0, float.PositiveInfinity, 0], 1, 1));
        dirty.Insert(60, Bad([0, 0, float.NegativeInfinity], 1, 1));
        dirty.Insert(99, Bad([0.1f, 0.2f, 0.3f], float.NaN, 1));
        dirty.Insert(150, Bad([0.1f, 0.2f, 0.3f], 100, 0));
        dirty.Insert(151, Bad([0.1f, 0.2f, 0.3f], 100, -1));
        dirty.Insert(200, Bad([0.1f, 0.2f, 0.3f], 100, float.NaN));
        dirty.Add(Bad([0.1f, 0.2f, 0.3f], 100, float.PositiveInfinity));

        var options = new AdaBeliefRegressionTrainer.Options { ExampleWeightColumnName = "Weight", NumberOfEpochs = 4, BatchSize = 16, Seed = Seed };

        var cleanContext = new MLContext(seed: 1);
        var fromClean = cleanContext.Regression.Trainers.AdaBelief(options).Fit(cleanContext.Data.LoadFromEnumerable(clean));
        var dirtyContext = new MLContext(seed: 2);
        var log = new LogRecorder(dirtyContext);
        var fromDirty = dirtyContext.Regression.Trainers.AdaBelief(options).Fit(dirtyContext.Data.LoadFromEnumerable(dirty));

        CollectionAssert.AreEqual(Weights(fromClean), Weights(fromDirty));
        Assert.AreEqual(fromClean.Model.Bias, fromDirty.Model.Bias);
        string warning = SkippedWarning(log);
        Assert.Contains("Skipped 8 row(s)", warning);
        Assert.Contains("1 with a missing label", warning);
        Assert.Contains("3 with a NaN or infinite feature", warning);
        Assert.Contains("4 with a weight not in (0, ∞)", warning);
    }

    [TestMethod]
    public void Binary_BadFeatureAndWeightRowsAreSkipped_ModelIsBitIdentical()
    {
        BinaryRow[] clean = Binary(300, seed: 3);
        var dirty = clean.ToList();
        dirty.Insert(5, new BinaryRow { Features = [float.NaN, 1, 1], Label = true });
        dirty.Insert(77, new BinaryRow { Features = [1, 1, 1], Label = true, Weight = 0 });
        dirty.Add(new BinaryRow { Features = [1, 1, float.PositiveInfinity], Label = false });

        var options = new AdaBeliefBinaryTrainer.Options { ExampleWeightColumnName = "Weight", NumberOfEpochs = 3, BatchSize = 32, Seed = Seed };
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        var fromClean = ml.BinaryClassification.Trainers.AdaBelief(options).Fit(ml.Data.LoadFromEnumerable(clean));
        var fromDirty = ml.BinaryClassification.Trainers.AdaBelief(options).Fit(ml.Data.LoadFromEnumerable(dirty));

        CollectionAssert.AreEqual(Weights(fromClean), Weights(fromDirty));
        Assert.AreEqual(fromClean.Model.SubModel.Bias, fromDirty.Model.SubModel.Bias);
        Assert.Contains("Skipped 3 row(s): 0 with a missing label, 2 with a NaN or infinite feature, 1 with a weight not in (0, ∞).", SkippedWarning(log));
    }

    [TestMethod]
    public void Multiclass_MissingKeyLabelRowsAreSkipped_ModelIsBitIdentical()
    {
        // Class values unseen by MapValueToKey become the missing key (0).
        ClassRow[] clean = Multiclass(300, seed: 4).Select(r => new ClassRow { Features = r.Features, Class = 10 * (r.Label + 1) }).ToArray();
        var dirty = clean.ToList();
        dirty.Insert(0, new ClassRow { Features = [0.5f, 0.5f, 0.5f], Class = 7 });
        dirty.Insert(100, new ClassRow { Features = [0.5f, -0.5f, 0.5f], Class = 99 });
        dirty.Insert(200, new ClassRow { Features = [0.5f, float.NaN, 0.5f], Class = 20 });

        var options = new AdaBeliefMulticlassTrainer.Options { NumberOfEpochs = 3, BatchSize = 32, Seed = Seed };
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        IDataView dirtyView = MapClassesToKeys(ml, dirty, clean);
        Assert.AreEqual(2, dirtyView.GetColumn<uint>("Label").Count(k => k == 0), "two rows with a missing key");
        var fromClean = ml.MulticlassClassification.Trainers.AdaBelief(options).Fit(MapClassesToKeys(ml, clean, clean));
        var fromDirty = ml.MulticlassClassification.Trainers.AdaBelief(options).Fit(dirtyView);

        CollectionAssert.AreEqual(Parameters(fromClean.Model), Parameters(fromDirty.Model));
        Assert.Contains("Skipped 3 row(s): 2 with a missing label, 1 with a NaN or infinite feature, 0 with a weight not in (0, ∞).", SkippedWarning(log));
    }

    [TestMethod]
    public void SparseRowsOfZeros_AreKept_NotSkippedAsNonFinite()
    {
        // A sparse row with no stored values is a row of zeros: valid, as in any built-in trainer.
        var ml = new MLContext(seed: 1);
        SparseRow[] rows = Enumerable.Range(0, 40).Select(i => new SparseRow
        {
            Features = i % 2 == 0 ? new VBuffer<float>(4, 0, [], []) : new VBuffer<float>(4, 1, [1f], [i % 4]),
            Label = i % 2 == 0 ? 1f : 3f,
        }).ToArray();
        var trainer = ml.Regression.Trainers.AdaBelief();

        var model = trainer.Fit(ml.Data.LoadFromEnumerable(rows));

        Assert.AreEqual(1f, model.Model.Bias, 0.05f, "the zero rows are trained on: they fix the bias at their label");
    }

    private sealed class SparseRow
    {
        [VectorType(4)]
        public VBuffer<float> Features { get; set; }

        public float Label { get; set; }
    }

    [TestMethod]
    public void CleanData_LogsNoSkippedWarning()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        ml.Regression.Trainers.AdaBelief(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(Regression(50, seed: 5)));
        ml.BinaryClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(Binary(50, seed: 5)));
        IDataView classes = ml.Data.LoadFromEnumerable(Multiclass(100, seed: 5));
        CollectionAssert.AreEquivalent(new uint[] { 1, 2, 3 }, classes.GetColumn<uint>("Label").Distinct().ToArray(), "every class present as a key");
        ml.MulticlassClassification.Trainers.AdaBelief(numberOfEpochs: 1).Fit(classes);

        Assert.IsFalse(log.Of(ChannelMessageKind.Warning).Any(m => m.Contains("Skipped", StringComparison.Ordinal)));
    }

    private static string SkippedWarning(LogRecorder log)
    {
        string[] warnings = log.Of(ChannelMessageKind.Warning).Where(m => m.Contains("Skipped", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, warnings, "one Skipped warning per Fit");
        return warnings[0];
    }
}
