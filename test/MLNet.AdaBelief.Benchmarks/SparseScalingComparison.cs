using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Trainers.Interop;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// <c>-- scaling --data DIR [--folds N]</c>: the AdaBelief trainers with their defaults, once with sparse features
/// divided by their largest magnitude (the default) and once by their root mean square (the former scaling), on
/// adult (one-hot + numeric, 5-fold AUC), SMS spam (FeaturizeText, 5-fold AUPRC) and taxi fare (one-hot + numeric
/// regression, test R²). DIR holds ML.NET's sample files <c>SMSSpamCollection.tsv</c>, <c>taxi-fare-train.csv</c> and
/// <c>taxi-fare-test.csv</c>; adult comes with the repository. Everything else about training is as in <c>Fit</c>.
/// Taxi fare is dense (about 40% of its values nonzero), so it shows the label's standardization instead: a last line
/// trains it on the raw label.
/// </summary>
internal static class SparseScalingComparison
{
    public static void Run(string[] args)
    {
        string? directory = null;
        int folds = 5;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": directory = args[++i]; break;
                case "--folds": folds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.");
            }
        }

        if (directory is null)
            throw new ArgumentException("Pass --data DIR, the directory holding ML.NET's sample data files.");

        var ml = new MLContext(seed: 1);
        foreach (SparseFeatureScaling scaling in new[] { SparseFeatureScaling.MaxAbs, SparseFeatureScaling.RootMeanSquare })
        {
            Report($"adult, {folds}-fold AUC", scaling, CrossValidate(ml, Tests.Data.DataSets.Adult(ml), folds, null, scaling, m => m.AreaUnderRocCurve));
            IDataView sms = LoadSms(ml, Path.Combine(directory, "SMSSpamCollection.tsv"));
            Report($"SMS spam, {folds}-fold AUPRC", scaling, CrossValidate(ml, sms, folds, ml.Transforms.Text.FeaturizeText("Features", "Text"), scaling, m => m.AreaUnderPrecisionRecallCurve));
            Report("taxi fare, test R²", scaling, Taxi(ml, directory, scaling, standardizeLabel: true));
        }

        Report("taxi fare, raw label", SparseFeatureScaling.MaxAbs, Taxi(ml, directory, SparseFeatureScaling.MaxAbs, standardizeLabel: false));
    }

    private static void Report(string name, SparseFeatureScaling scaling, (double Metric, double Seconds, bool Sparse) result) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-24} {scaling,-15} {result.Metric:F4}  ({(result.Sparse ? "sparse" : "dense")} rows, {result.Seconds:F2} s of training)"));

    private static (double Metric, double Seconds, bool Sparse) CrossValidate(
        MLContext ml, IDataView data, int folds, Microsoft.ML.Transforms.Text.TextFeaturizingEstimator? featurizer, SparseFeatureScaling scaling, Func<CalibratedBinaryClassificationMetrics, double> metric)
    {
        double sum = 0, seconds = 0;
        bool sparse = false;
        foreach (DataOperationsCatalog.TrainTestData fold in ml.Data.CrossValidationSplit(data, folds, seed: 1))
        {
            IDataView train = fold.TrainSet, test = fold.TestSet;
            if (featurizer is not null)
            {
                var features = featurizer.Fit(train);
                train = features.Transform(train);
                test = features.Transform(test);
            }

            var clock = Stopwatch.StartNew();
            (LinearModelWeights model, sparse) = Train(ml, train, LinearLosses.Create(LinearModelLoss.Logistic), LabelKind.Boolean, new AdaBeliefBinaryTrainer.Options(), scaling);
            seconds += clock.Elapsed.TotalSeconds;
            var transformer = MLNetModelFactory.CreateBinaryTransformer(ml, MLNetModelFactory.CreateCalibratedLinearBinary(ml, model.Weights, model.Bias), train.Schema, "Features");
            sum += metric(ml.BinaryClassification.Evaluate(transformer.Transform(test)));
        }

        return (sum / folds, seconds, sparse);
    }

    private static (double Metric, double Seconds, bool Sparse) Taxi(MLContext ml, string directory, SparseFeatureScaling scaling, bool standardizeLabel)
    {
        TextLoader loader = QualityMatrix.MatrixDataSets.TaxiFareLoader(ml);
        var featurizer = ml.Transforms.Categorical.OneHotEncoding([new("VendorId"), new("RateCode"), new("PaymentType")])
            .Append(ml.Transforms.Concatenate("Features", "VendorId", "RateCode", "PaymentType", "PassengerCount", "TripTime", "TripDistance"));
        IDataView rawTrain = loader.Load(Path.Combine(directory, "taxi-fare-train.csv"));
        var features = featurizer.Fit(rawTrain);
        IDataView train = ml.Data.Cache(features.Transform(rawTrain));
        IDataView test = features.Transform(loader.Load(Path.Combine(directory, "taxi-fare-test.csv")));

        var clock = Stopwatch.StartNew();
        (LinearModelWeights model, bool sparse) = Train(ml, train, LinearLosses.Create(LinearModelLoss.Squared), LabelKind.Real, new AdaBeliefRegressionTrainer.Options(), scaling, standardizeLabel);
        double seconds = clock.Elapsed.TotalSeconds;
        var transformer = MLNetModelFactory.CreateRegressionTransformer(ml, MLNetModelFactory.CreateLinearRegression(ml, model.Weights, model.Bias), train.Schema, "Features");
        return (ml.Regression.Evaluate(transformer.Transform(test)).RSquared, seconds, sparse);
    }

    /// <summary>What <c>Fit</c> does with these options, with the sparse scaling chosen.</summary>
    private static (LinearModelWeights Model, bool Sparse) Train(
        MLContext ml, IDataView train, ILinearLoss loss, LabelKind kind, AdaBeliefTrainerOptionsBase options, SparseFeatureScaling scaling, bool standardizeLabel = true)
    {
        options.Seed = 1;
        TrainingColumns columns = TrainingColumns.Resolve(train.Schema, "Label", "Features", null, kind);
        DataStatistics.Request? request = LinearModelTrainer.StatisticsRequest(options.StandardizeFeatures, options.BiasInitialization, warmStart: false, loss);
        using LoadedTrainingData loaded = TrainingDataLoader.Load(train, columns, options.MemoryBudgetBytes, request);
        TrainingPlan plan = TrainingPlan.Create(options, loaded, new Random(1));
        var trainer = new LinearModelTrainer(loss, plan.Settings with { SparseScaling = scaling, StandardizeLabel = standardizeLabel }, plan.OptimizerOptions);
        GC.KeepAlive(ml);
        return (trainer.Train(loaded.Rows, measured: loaded.Statistics).Model, loaded.IsSparse);
    }

    private static IDataView LoadSms(MLContext ml, string path) =>
        ml.Data.LoadFromEnumerable(File.ReadLines(path)
            .Select(line => line.Split('\t', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => new SmsRow { Label = parts[0] == "spam", Text = parts[1] })
            .ToArray());

    private sealed class SmsRow
    {
        public bool Label { get; set; }

        public string Text { get; set; } = string.Empty;
    }
}
