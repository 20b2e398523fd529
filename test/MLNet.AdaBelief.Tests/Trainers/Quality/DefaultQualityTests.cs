using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.AdaBelief.Tests.Data;

namespace MLNet.AdaBelief.Tests.Trainers.Quality;

/// <summary>
/// A user who changes nothing gets a model as good as the best built-in linear trainer: the AdaBelief trainers with
/// default options, on raw features (no normalizer), cross-validated exactly as <see cref="BuiltInBaselines"/> (5 folds,
/// seed 1, <c>MLContext(seed: 1)</c>), reach the best built-in trainer's mean metric minus <see cref="Tolerance"/>.
/// The built-ins run behind <c>NormalizeMinMax</c>; see <c>Data/BASELINES.md</c> and <c>src/MLNet.AdaBelief/Trainers/DEFAULTS.md</c>.
/// </summary>
[TestClass]
public sealed class DefaultQualityTests(TestContext testContext)
{
    /// <summary>How far below the best built-in trainer's mean metric the defaults may fall.</summary>
    private const double Tolerance = 0.005;

    [TestMethod]
    public void HousingRSquaredReachesTheBestBuiltInTrainer() =>
        AssertReaches(BuiltInBaselines.Housing, DataSets.Housing, (ml, data) =>
            ml.Regression.CrossValidate(data, ml.Regression.Trainers.AdaBelief(), BuiltInBaselines.Folds, seed: BuiltInBaselines.Seed)
                .Select(f => f.Metrics.RSquared));

    [TestMethod]
    public void AdultAucReachesTheBestBuiltInTrainer() =>
        AssertReaches(BuiltInBaselines.Adult, DataSets.Adult, (ml, data) =>
            ml.BinaryClassification.CrossValidate(data, ml.BinaryClassification.Trainers.AdaBelief(), BuiltInBaselines.Folds, seed: BuiltInBaselines.Seed)
                .Select(f => f.Metrics.AreaUnderRocCurve));

    [TestMethod]
    public void BreastCancerAucReachesTheBestBuiltInTrainer() =>
        AssertReaches(BuiltInBaselines.BreastCancer, DataSets.BreastCancer, (ml, data) =>
            ml.BinaryClassification.CrossValidate(data, ml.BinaryClassification.Trainers.AdaBelief(), BuiltInBaselines.Folds, seed: BuiltInBaselines.Seed)
                .Select(f => f.Metrics.AreaUnderRocCurve));

    [TestMethod]
    public void IrisMacroAccuracyReachesTheBestBuiltInTrainer() =>
        AssertReaches(BuiltInBaselines.Iris, DataSets.Iris, (ml, data) =>
            ml.MulticlassClassification.CrossValidate(data, ml.MulticlassClassification.Trainers.AdaBelief(), BuiltInBaselines.Folds, seed: BuiltInBaselines.Seed)
                .Select(f => f.Metrics.MacroAccuracy));

    private void AssertReaches(
        DataSetBaselines baselines,
        Func<MLContext, IDataView> load,
        Func<MLContext, IDataView, IEnumerable<double>> crossValidate)
    {
        BaselineResult best = baselines.Best;
        var ml = new MLContext(seed: BuiltInBaselines.Seed);
        IDataView data = ml.Data.Cache(load(ml));
        var clock = Stopwatch.StartNew();
        double[] folds = [.. crossValidate(ml, data)];
        clock.Stop();
        double mean = folds.Average();
        double bar = best.Mean - Tolerance;

        testContext.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{baselines.DataSet} {baselines.Metric}: AdaBelief (defaults, raw features) {mean:F4} in {clock.Elapsed.TotalSeconds:F2} s; best built-in {best.Trainer} {best.Mean:F4}; bar {bar:F4}."));
        Assert.IsGreaterThanOrEqualTo(bar, mean, FormattableString.Invariant(
            $"{baselines.DataSet}: AdaBelief's {baselines.Metric} {mean:F4} is below {best.Trainer}'s {best.Mean:F4} − {Tolerance}."));
    }
}
