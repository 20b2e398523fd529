using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Data;

/// <summary>
/// Loads the bundled data sets and computes the built-in linear trainers' baselines (see <c>Data/BASELINES.md</c>),
/// asserting the row counts, the column types and that every metric is in a sane range.
/// </summary>
[TestClass]
public sealed class BuiltInBaselinesTests(TestContext testContext)
{
    private static readonly float[] FirstAdultNumericValues = [39f, 77516f, 13f, 2174f, 0f, 40f];
    private static readonly uint[] IrisKeys = [1, 2, 3];

    [TestMethod]
    public void HousingLoadsWithAFloatLabelAndThirteenFeatures()
    {
        IDataView data = DataSets.Housing(new MLContext(seed: 1));

        Assert.AreEqual(NumberDataViewType.Single, data.Schema["Label"].Type);
        AssertFeatures(data, DataSets.HousingFeatures);
        Assert.AreEqual(DataSets.HousingRows, DataSets.CountRows(data));
        Assert.AreEqual(0, DataSets.CountRowsWithMissingFeature(data));
    }

    [TestMethod]
    public void AdultLoadsWithABooleanLabelAndOneHotFeatures()
    {
        IDataView data = DataSets.Adult(new MLContext(seed: 1));

        Assert.AreEqual(BooleanDataViewType.Instance, data.Schema["Label"].Type);
        AssertFeatures(data, DataSets.AdultFeatures);
        Assert.AreEqual(DataSets.AdultRows, DataSets.CountRows(data));
        Assert.AreEqual(0, DataSets.CountRowsWithMissingFeature(data));
        Assert.AreEqual(7_841, data.GetColumn<bool>("Label").Count(label => label));
        float[] first = data.GetColumn<VBuffer<float>>("Features").First().DenseValues().ToArray();
        CollectionAssert.AreEqual(FirstAdultNumericValues, first[..6]);
        Assert.AreEqual(DataSets.AdultCategoricalColumns, first[6..].Sum());
    }

    [TestMethod]
    public void BreastCancerLoadsWithABooleanLabelAndKeepsTheMissingValues()
    {
        IDataView data = DataSets.BreastCancer(new MLContext(seed: 1));

        Assert.AreEqual(BooleanDataViewType.Instance, data.Schema["Label"].Type);
        AssertFeatures(data, DataSets.BreastCancerFeatures);
        Assert.AreEqual(DataSets.BreastCancerRows, DataSets.CountRows(data));
        Assert.AreEqual(DataSets.BreastCancerRowsWithMissingValue, DataSets.CountRowsWithMissingFeature(data));
        Assert.AreEqual(241, data.GetColumn<bool>("Label").Count(label => label));
    }

    [TestMethod]
    public void BuiltInTrainersSkipTheBreastCancerRowsWithAMissingValue()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };

        ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(DataSets.BreastCancer(ml));

        string[] skipped = [.. messages.Where(m => m.Contains("missing", StringComparison.OrdinalIgnoreCase))];
        foreach (string m in skipped)
        {
            testContext.WriteLine(m);
        }

        Assert.IsTrue(skipped.Any(m => m.Contains(
            DataSets.BreastCancerRowsWithMissingValue.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
    }

    [TestMethod]
    public void IrisLoadsWithAKeyLabelOfThreeClasses()
    {
        IDataView data = DataSets.Iris(new MLContext(seed: 1));

        Assert.AreEqual(new KeyDataViewType(typeof(uint), DataSets.IrisClasses), data.Schema["Label"].Type);
        AssertFeatures(data, DataSets.IrisFeatures);
        Assert.AreEqual(DataSets.IrisRows, DataSets.CountRows(data));
        uint[] labels = [.. data.GetColumn<uint>("Label")];
        CollectionAssert.AreEqual(IrisKeys, labels.Distinct().Order().ToArray());
        Assert.IsTrue(labels.GroupBy(l => l).All(g => g.Count() == 50));
    }

    [TestMethod]
    public void HousingBaselineRSquaredIsSane() => AssertBetween(BuiltInBaselines.Housing, 0.5, 0.95);

    [TestMethod]
    public void AdultBaselineAucIsSane() => AssertBetween(BuiltInBaselines.Adult, 0.85, 1.0);

    [TestMethod]
    public void BreastCancerBaselineAucIsSane() => AssertBetween(BuiltInBaselines.BreastCancer, 0.98, 1.0);

    [TestMethod]
    public void IrisBaselineMacroAccuracyIsSane() => AssertBetween(BuiltInBaselines.Iris, 0.9, 1.0);

    [TestMethod]
    public void PrintsTheBaselineTable()
    {
        string table = BuiltInBaselines.FormatTable(BuiltInBaselines.All);
        testContext.WriteLine(table);
        Console.WriteLine(table);
        Assert.AreEqual(4, BuiltInBaselines.All.Count);
    }

    private static void AssertFeatures(IDataView data, int size)
    {
        var type = data.Schema["Features"].Type as VectorDataViewType;
        Assert.IsNotNull(type);
        Assert.AreEqual(NumberDataViewType.Single, type.ItemType);
        Assert.AreEqual(size, type.Size);
    }

    private void AssertBetween(DataSetBaselines baselines, double low, double high)
    {
        foreach (BaselineResult r in baselines.Results)
        {
            testContext.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.DataSet} {r.Trainer} {r.Metric} = {r.Mean:F4} ± {r.StandardDeviation:F4} ({r.Seconds:F2} s, {r.CpuSeconds:F2} s CPU)"));
        }

        BaselineResult best = baselines.Best;
        Assert.IsTrue(best.Mean > low && best.Mean <= high,
            $"{best.DataSet}: best {best.Metric} {best.Mean} ({best.Trainer}) outside ({low}, {high}]");
    }
}
