using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Tests.Data;

/// <summary>One built-in trainer's cross-validated metric on one data set.</summary>
/// <param name="DataSet">The data set, as named by <see cref="DataSets"/>.</param>
/// <param name="Trainer">The trainer, as named in its catalog (e.g. <c>SdcaLogisticRegression</c>).</param>
/// <param name="Metric">The metric's name (<c>RSquared</c>, <c>AreaUnderRocCurve</c>, <c>MacroAccuracy</c>).</param>
/// <param name="Mean">The metric averaged over the folds.</param>
/// <param name="StandardDeviation">The sample standard deviation of the metric over the folds.</param>
/// <param name="Seconds">Wall-clock seconds of the whole cross-validation.</param>
/// <param name="CpuSeconds">Processor seconds (all threads of the process) over the same interval.</param>
internal sealed record BaselineResult(
    string DataSet, string Trainer, string Metric, double Mean, double StandardDeviation, double Seconds, double CpuSeconds);

/// <summary>All the built-in baselines of one data set; higher is better for every metric used.</summary>
internal sealed record DataSetBaselines(string DataSet, string Metric, IReadOnlyList<BaselineResult> Results)
{
    /// <summary>The trainer with the highest mean metric.</summary>
    public BaselineResult Best => Results.MaxBy(r => r.Mean)!;
}

/// <summary>
/// The 5-fold cross-validated metrics of ML.NET's built-in linear trainers on the bundled data sets: the bar the
/// AdaBelief trainers' defaults must reach. Every trainer runs with its default options behind
/// <c>NormalizeMinMax("Features")</c> and a cache checkpoint, in a fresh <c>MLContext(seed: 1)</c>, cross-validated by
/// <c>CrossValidate(data, estimator, numberOfFolds: 5, seed: 1)</c>. Results are computed once per test run.
/// </summary>
/// <remarks>
/// Regression has only two built-in linear least-squares trainers in Microsoft.ML 5.0.1's StandardTrainers:
/// <c>Sdca</c> and <c>OnlineGradientDescent</c>. <c>LbfgsPoissonRegression</c> minimizes the Poisson loss, not squared
/// error, and ordinary least squares (<c>Ols</c>) lives in Microsoft.ML.Mkl.Components, which the project does not
/// reference, so there is no L-BFGS least-squares baseline.
/// </remarks>
internal static class BuiltInBaselines
{
    /// <summary>The seed of every <see cref="MLContext"/> and of the fold split.</summary>
    public const int Seed = 1;

    /// <summary>The number of cross-validation folds.</summary>
    public const int Folds = 5;

    /// <summary>
    /// The environment variable that, set to <c>1</c>, adds the slow baselines: SdcaLogisticRegression on adult
    /// (about 5 CPU seconds, and never the best there; see <c>Data/BASELINES.md</c>).
    /// </summary>
    public const string AllBaselinesVariable = "MLNET_ADABELIEF_ALL_BASELINES";

    /// <summary>Whether <see cref="AllBaselinesVariable"/> asks for the slow baselines too.</summary>
    public static bool IncludeSlow => Environment.GetEnvironmentVariable(AllBaselinesVariable) == "1";

    private static readonly Lazy<DataSetBaselines> HousingResults = new(ComputeHousing);
    private static readonly Lazy<DataSetBaselines> AdultResults = new(ComputeAdult);
    private static readonly Lazy<DataSetBaselines> BreastCancerResults = new(ComputeBreastCancer);
    private static readonly Lazy<DataSetBaselines> IrisResults = new(ComputeIris);

    /// <summary>Housing, regression: R² of Sdca and OnlineGradientDescent.</summary>
    public static DataSetBaselines Housing => HousingResults.Value;

    /// <summary>
    /// Adult, binary: AUC of LbfgsLogisticRegression and SgdCalibrated, and of SdcaLogisticRegression only when
    /// <see cref="IncludeSlow"/>.
    /// </summary>
    public static DataSetBaselines Adult => AdultResults.Value;

    /// <summary>Breast cancer, binary: AUC of SdcaLogisticRegression, LbfgsLogisticRegression and SgdCalibrated.</summary>
    public static DataSetBaselines BreastCancer => BreastCancerResults.Value;

    /// <summary>Iris, multiclass: macro accuracy of SdcaMaximumEntropy, LbfgsMaximumEntropy and OneVersusAll(SgdCalibrated).</summary>
    public static DataSetBaselines Iris => IrisResults.Value;

    /// <summary>All four data sets' baselines.</summary>
    public static IReadOnlyList<DataSetBaselines> All => [Housing, Adult, BreastCancer, Iris];

    /// <summary>A Markdown table: data set, trainer, metric (mean ± sd over the folds), seconds, best marked.</summary>
    public static string FormatTable(IEnumerable<DataSetBaselines> baselines)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        var text = new StringBuilder();
        text.AppendLine("| data set | trainer | metric | mean | sd | seconds | CPU seconds |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (DataSetBaselines set in baselines)
        {
            BaselineResult best = set.Best;
            foreach (BaselineResult r in set.Results)
            {
                string trainer = ReferenceEquals(r, best) ? $"**{r.Trainer}** (best)" : r.Trainer;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.DataSet} | {trainer} | {r.Metric} | {r.Mean:F4} | {r.StandardDeviation:F4} | {r.Seconds:F2} | {r.CpuSeconds:F2} |");
            }
        }

        return text.ToString();
    }

    private static DataSetBaselines ComputeHousing()
    {
        IDataView data = LoadCached(DataSets.Housing);
        return new("housing", "RSquared",
        [
            Regression(data, "Sdca", ml => ml.Regression.Trainers.Sdca()),
            Regression(data, "OnlineGradientDescent", ml => ml.Regression.Trainers.OnlineGradientDescent()),
        ]);
    }

    private static DataSetBaselines ComputeAdult() => Binary("adult", DataSets.Adult, includeSdca: IncludeSlow);

    private static DataSetBaselines ComputeBreastCancer() => Binary("breast-cancer", DataSets.BreastCancer, includeSdca: true);

    private static DataSetBaselines ComputeIris()
    {
        IDataView data = LoadCached(DataSets.Iris);
        return new("iris", "MacroAccuracy",
        [
            Multiclass(data, "SdcaMaximumEntropy", ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            Multiclass(data, "LbfgsMaximumEntropy", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            Multiclass(data, "OneVersusAll(SgdCalibrated)", ml => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.SgdCalibrated())),
        ]);
    }

    private static DataSetBaselines Binary(string name, Func<MLContext, IDataView> load, bool includeSdca)
    {
        IDataView data = LoadCached(load);
        List<BaselineResult> results = [];
        if (includeSdca)
        {
            results.Add(BinaryOne(name, data, "SdcaLogisticRegression", ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression()));
        }

        results.Add(BinaryOne(name, data, "LbfgsLogisticRegression", ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression()));
        results.Add(BinaryOne(name, data, "SgdCalibrated", ml => ml.BinaryClassification.Trainers.SgdCalibrated()));
        return new(name, "AreaUnderRocCurve", results);
    }

    /// <summary>Loads a data set once, cached in memory on its first pass, so the folds do not re-parse the file.</summary>
    private static IDataView LoadCached(Func<MLContext, IDataView> load)
    {
        var ml = new MLContext(seed: Seed);
        return ml.Data.Cache(load(ml));
    }

    private static BaselineResult Regression(IDataView data, string trainer, Func<MLContext, IEstimator<ITransformer>> create) =>
        Run("housing", data, trainer, "RSquared", create,
            (ml, data, estimator) => ml.Regression.CrossValidate(data, estimator, Folds, seed: Seed)
                .Select(f => f.Metrics.RSquared));

    private static BaselineResult BinaryOne(
        string dataSet, IDataView data, string trainer, Func<MLContext, IEstimator<ITransformer>> create) =>
        Run(dataSet, data, trainer, "AreaUnderRocCurve", create,
            (ml, data, estimator) => ml.BinaryClassification.CrossValidate(data, estimator, Folds, seed: Seed)
                .Select(f => f.Metrics.AreaUnderRocCurve));

    private static BaselineResult Multiclass(IDataView data, string trainer, Func<MLContext, IEstimator<ITransformer>> create) =>
        Run("iris", data, trainer, "MacroAccuracy", create,
            (ml, data, estimator) => ml.MulticlassClassification.CrossValidate(data, estimator, Folds, seed: Seed)
                .Select(f => f.Metrics.MacroAccuracy));

    private static BaselineResult Run(
        string dataSet,
        IDataView data,
        string trainer,
        string metric,
        Func<MLContext, IEstimator<ITransformer>> create,
        Func<MLContext, IDataView, IEstimator<ITransformer>, IEnumerable<double>> crossValidate)
    {
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(seed: Seed);
        IEstimator<ITransformer> estimator = ml.Transforms.NormalizeMinMax("Features")
            .AppendCacheCheckpoint(ml)
            .Append(create(ml));
        double[] folds = [.. crossValidate(ml, data, estimator)];
        stopwatch.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
        double mean = folds.Average();
        double sd = Math.Sqrt(folds.Sum(v => (v - mean) * (v - mean)) / (folds.Length - 1));
        return new BaselineResult(dataSet, trainer, metric, mean, sd, stopwatch.Elapsed.TotalSeconds, cpu.TotalSeconds);
    }
}
