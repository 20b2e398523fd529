using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief;
using Samples.Shared;
using Samples.Shared.Taxi;

// Taxi fares as ML.NET's tutorial predicts them: vendor, rate code and payment type one-hot encoded, passenger
// count, trip time and distance as numbers. The tutorial's pipeline (mean-variance normalization, then SDCA) next to
// the AdaBelief trainer on the raw numbers, whose weights then read directly in dollars.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var ml = new MLContext(seed: 1);
IDataView train = ml.Data.Cache(TaxiFareData.Load(ml, "taxi-fare-train.csv"));
IDataView test = TaxiFareData.Load(ml, "taxi-fare-test.csv");
Console.WriteLine($"NYC taxi fares: {SampleData.RowCount(train):N0} training trips, {SampleData.RowCount(test):N0} test trips (fares $1-$150)");
Console.WriteLine();

var longer = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 10, ProgressCallback = new EpochProgress(every: 1).Report };
var pipelines = new (string Name, IEstimator<ITransformer> Pipeline, bool ShowsProgress)[]
{
    ("SDCA, tutorial pipeline (normalized)", TaxiFareData.Featurize(ml, normalizeNumbers: true).Append(ml.Regression.Trainers.Sdca()), false),
    ("AdaBelief, defaults (raw numbers)", TaxiFareData.Featurize(ml, normalizeNumbers: false).Append(ml.Regression.Trainers.AdaBelief(
        new AdaBeliefRegressionTrainer.Options { ProgressCallback = new EpochProgress(every: 1).Report })), true),
    ("AdaBelief, 10 epochs (raw numbers)", TaxiFareData.Featurize(ml, normalizeNumbers: false).Append(ml.Regression.Trainers.AdaBelief(longer)), true),
};

var table = new ConsoleTable("pipeline", "R²", "RMSE ($)", "MAE ($)", "Fit time");
var models = new List<ITransformer>();
foreach (var (name, pipeline, showsProgress) in pipelines)
{
    Console.WriteLine($"fitting {name}");
    if (showsProgress)
        EpochProgress.WriteHeader();
    var clock = Stopwatch.StartNew();
    ITransformer model = pipeline.Fit(train);
    TimeSpan fitTime = clock.Elapsed;
    RegressionMetrics m = ml.Regression.Evaluate(model.Transform(test));
    table.AddRow(name, F(m.RSquared, "F4"), F(m.RootMeanSquaredError, "F3"), F(m.MeanAbsoluteError, "F3"), F(fitTime.TotalSeconds, "F2") + " s");
    models.Add(model);
}
Console.WriteLine();
table.Write();

// With raw numbers the weights are the model's fare formula: dollars per mile, per second, per passenger, and
// an offset for each category. (A linear model: the tutorial's FastTree does better on the non-linear parts.)
var trained = (TransformerChain<RegressionPredictionTransformer<LinearRegressionModelParameters>>)models[1];
RegressionPredictionTransformer<LinearRegressionModelParameters> regression = trained.LastTransformer;
VBuffer<ReadOnlyMemory<char>> slotNames = default;
trained.Transform(test).Schema["Features"].GetSlotNames(ref slotNames);
string[] names = slotNames.DenseValues().Select(n => n.ToString()).ToArray();
float[] weights = regression.Model.Weights.ToArray();
Console.WriteLine();
Console.WriteLine("AdaBelief's fare formula (weights on the raw features):");
var formula = new ConsoleTable("feature", "weight ($ per unit)");
for (int j = 0; j < weights.Length; j++)
    formula.AddRow(names[j], F(weights[j], "F4"));
formula.AddRow("(bias)", F(regression.Model.Bias, "F4"));
formula.Write();
Console.WriteLine("(a category seen in very few trips, such as rate code 0, gets a weight fitted to those trips alone)");

RegressionMetrics final = ml.Regression.Evaluate(trained.Transform(test));
if (final.RSquared < 0.8)
{
    Console.Error.WriteLine($"The AdaBelief model's test R² is {final.RSquared:F4}; a linear model of this data reaches about 0.9.");
    return 1;
}
return 0;

static string F(double value, string format) => ConsoleTable.Number(value, format);
