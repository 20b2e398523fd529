using System.Diagnostics;
using System.Globalization;
using HousingRegression;
using HyperparameterSweep;
using Microsoft.ML;
using MLNet.AdaBelief;
using Samples.Shared;

// A sweep in the AutoML style: the search-space attributes on the trainer's Options (Range, Choice, BooleanChoice
// from Microsoft.ML.SearchSpace) define what is tried; a seeded random search draws configurations, each scored by
// 5-fold cross-validated R² on the housing data; the defaults are trial 0. AutoML's own tuners read the same
// attributes (see the README); this sample needs nothing beyond Microsoft.ML.
// Usage: dotnet run --project samples/HyperparameterSweep [-- trials [seed]]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

int trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 24;
int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var ml = new MLContext(seed: 1);
IDataView data = HousingData.Load(ml, SampleData.Path(HousingData.FileName));

IReadOnlyList<SweptSetting> space = SweptSetting.Read(typeof(AdaBeliefRegressionTrainer.Options));
var defaults = new AdaBeliefRegressionTrainer.Options();
Console.WriteLine($"Search space: the {space.Count} options of AdaBeliefRegressionTrainer.Options with search-space attributes");
var spaceTable = new ConsoleTable("option", "searched", "default");
foreach (SweptSetting s in space)
    spaceTable.AddRow(s.Property.Name, s.Describe(), Show(s.Property.GetValue(defaults)));
spaceTable.Write();
Console.WriteLine();

Console.WriteLine($"Random search: {trials} trials (seed {seed}) after the defaults, each scored by 5-fold cross-validated R² on Boston housing");
Console.WriteLine($"{"trial",5}  {"R²",7}  {"RMSE",6}  {"time",7}  settings that differ from the defaults");
var random = new Random(seed);
var results = new List<(int Trial, double RSquared, double Rmse, Dictionary<string, object> Settings)>();
bool silentFailure = false;
for (int trial = 0; trial <= trials; trial++)
{
    // Trial 0 keeps every default; the others draw every swept option.
    var drawn = new Dictionary<string, object>();
    var options = new AdaBeliefRegressionTrainer.Options { NumberOfThreads = 1 };
    if (trial > 0)
        foreach (SweptSetting s in space)
        {
            object value = s.Draw(random);
            s.Apply(options, value);
            if (!Equals(s.Property.GetValue(options), s.Property.GetValue(defaults)))
                drawn[s.Property.Name] = s.Property.GetValue(options)!;
        }

    var clock = Stopwatch.StartNew();
    // Booleans read +Name (on) and -Name (off); the rest Name=value.
    string changes = string.Join(" ", drawn.Select(kv => kv.Value is bool on ? (on ? "+" : "-") + kv.Key : $"{kv.Key}={Show(kv.Value)}"));
    try
    {
        var folds = ml.Regression.CrossValidate(data, ml.Regression.Trainers.AdaBelief(options), numberOfFolds: 5, seed: 1);
        double r2 = folds.Average(f => f.Metrics.RSquared), rmse = folds.Average(f => f.Metrics.RootMeanSquaredError);
        if (!double.IsFinite(r2) || !double.IsFinite(rmse))
            silentFailure = true;
        results.Add((trial, r2, rmse, drawn));
        Console.WriteLine($"{trial,5}  {r2,7:F4}  {rmse,6:F3}  {clock.Elapsed.TotalSeconds,5:F2} s  {(trial == 0 ? "(defaults)" : changes)}");
    }
    catch (InvalidOperationException e) when (e.Message.StartsWith("Training diverged", StringComparison.Ordinal))
    {
        // A configuration that blows up is reported by the trainer with what to change; a sweep records it as failed.
        Console.WriteLine($"{trial,5}  {"failed",7}  {"",6}  {clock.Elapsed.TotalSeconds,5:F2} s  {changes}");
        if (!results.Any(r => double.IsNaN(r.RSquared)))
            Console.WriteLine($"{"",5}  {e.Message}");
        results.Add((trial, double.NaN, double.NaN, drawn));
    }
}

var best = results.Where(r => !double.IsNaN(r.RSquared)).OrderByDescending(r => r.RSquared).First();
var baseline = results.First(r => r.Trial == 0);
Console.WriteLine();
Console.WriteLine($"Best: trial {best.Trial}, cross-validated R² {best.RSquared:F4} (defaults {baseline.RSquared:F4}), RMSE {best.Rmse:F3} ($1000s)");
var bestTable = new ConsoleTable("option", "best", "default");
foreach (SweptSetting s in space)
    bestTable.AddRow(s.Property.Name, best.Settings.TryGetValue(s.Property.Name, out object? v) ? Show(v) : Show(s.Property.GetValue(defaults)), Show(s.Property.GetValue(defaults)));
bestTable.Write();

if (silentFailure || baseline.RSquared < 0.6)
{
    Console.Error.WriteLine(silentFailure
        ? "A trial returned a non-finite R² without an error."
        : $"The defaults' cross-validated R² is {baseline.RSquared:F4}; a linear model of this data reaches about 0.7.");
    return 1;
}
return 0;

static string Show(object? value) => value switch
{
    null => "auto",
    double d => d.ToString("G4", CultureInfo.InvariantCulture),
    bool b => b ? "true" : "false",
    _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
};
