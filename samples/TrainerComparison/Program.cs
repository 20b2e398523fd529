using System.Diagnostics;
using System.Globalization;
using AdaBelief.Optimization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief;
using Samples.Shared;
using Samples.Shared.Taxi;
using TrainerComparison;

// The same taxi-fare data (the tutorial's one-hot featurization) trained by the AdaBelief trainer in three
// configurations and by ML.NET's SDCA, L-BFGS (Poisson regression, ML.NET's L-BFGS regressor) and
// OnlineGradientDescent, each evaluated on the held-out trips. Prints a table of metrics and Fit times, and saves a
// plot of AdaBelief's validation loss per epoch next to the built-ins' final loss on the same trips.
// Usage: dotnet run --project samples/TrainerComparison [-- path/of/plot.png]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string plotPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "comparison.png");
var ml = new MLContext(seed: 1);
IDataView train = ml.Data.Cache(TaxiFareData.Load(ml, "taxi-fare-train.csv"));
IDataView heldOut = ml.Data.Cache(TaxiFareData.Load(ml, "taxi-fare-test.csv"));
Console.WriteLine($"NYC taxi fares: {SampleData.RowCount(train):N0} training trips, {SampleData.RowCount(heldOut):N0} held-out trips");

// AdaBelief trains on the raw numbers; the built-ins get the tutorial's mean-variance normalization, which they need.
IEstimator<ITransformer> raw = TaxiFareData.Featurize(ml, normalizeNumbers: false);
IEstimator<ITransformer> normalized = TaxiFareData.Featurize(ml, normalizeNumbers: true);
// A fixed number of epochs, so that every configuration has a curve to plot (the default would choose 2 here).
const int epochs = 12;
AdaBeliefRegressionTrainer AdaBeliefWith(Action<AdaBeliefRegressionTrainer.Options> configure)
{
    var options = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = epochs };
    configure(options);
    return ml.Regression.Trainers.AdaBelief(options);
}
var contenders = new Contender[]
{
    new($"AdaBelief, defaults, {epochs} epochs", raw, AdaBeliefWith(_ => { })),
    new("AdaBelief, one-cycle schedule (peak 0.1)", raw,
        AdaBeliefWith(o => o.ScheduleShape = ScheduleShape.OneCycle(0.1))), // twice the default peak; sized by the trainer to the run's steps
    new("AdaBelief, gradient norm clipped at 1", raw, AdaBeliefWith(o => o.GradientClipNorm = 1.0)),
    new("SDCA", normalized, ml.Regression.Trainers.Sdca()),
    new("L-BFGS Poisson regression", normalized, ml.Regression.Trainers.LbfgsPoissonRegression()),
    new("OnlineGradientDescent", normalized, ml.Regression.Trainers.OnlineGradientDescent()),
};

// Each contender is fitted once on a few rows first, so that the times below do not include compiling its code.
IDataView warmUp = ml.Data.TakeRows(train, 2000);
foreach (Contender c in contenders)
    c.Fit(warmUp, warmUp);

var outcomes = new List<Outcome>();
foreach (Contender c in contenders)
{
    Console.Write($"  fitting {c.Name} ...");
    var clock = Stopwatch.StartNew();
    ITransformer model = c.Fit(train, heldOut);
    TimeSpan fitTime = clock.Elapsed;
    RegressionMetrics m = ml.Regression.Evaluate(model.Transform(heldOut));
    double[] curve = c.AdaBelief?.TrainingHistory.Select(p => p.ValidationLoss ?? double.NaN).ToArray() ?? [];
    outcomes.Add(new Outcome(c, m.RSquared, m.RootMeanSquaredError, m.MeanAbsoluteError, m.MeanSquaredError / 2, fitTime, curve));
    Console.WriteLine($" {fitTime.TotalSeconds:F2} s");
}

Console.WriteLine();
var table = new ConsoleTable("trainer", "R²", "RMSE ($)", "MAE ($)", "½·MSE", "Fit time");
foreach (Outcome o in outcomes)
    table.AddRow(o.Contender.Name, F(o.RSquared, "F4"), F(o.Rmse, "F3"), F(o.Mae, "F3"), F(o.HalfMse, "F3"), F(o.FitTime.TotalSeconds, "F2") + " s");
table.Write();
Console.WriteLine("Fit time includes featurization (after one warm-up fit each); AdaBelief's also includes its validation pass after every");
Console.WriteLine("epoch. Times on a busy machine are indicative. L-BFGS fits a Poisson model (a log link), not a linear one.");

LossPlot.Save(outcomes, plotPath);
Console.WriteLine();
Console.WriteLine($"plot of validation loss per epoch: {plotPath}");

// Fail (for CI) unless every AdaBelief model is useful and its last reported validation loss is the loss the
// evaluator measures for the returned model (half the mean squared error on the same rows).
bool ok = true;
foreach (Outcome o in outcomes.Where(o => o.Contender.AdaBelief is not null))
{
    double last = o.ValidationLossPerEpoch[^1];
    if (o.RSquared < 0.8 || !(Math.Abs(last - o.HalfMse) <= 1e-3 * o.HalfMse))
    {
        Console.Error.WriteLine($"{o.Contender.Name}: R² {o.RSquared:F4} (expected > 0.8), last validation loss {last:F4} against ½·MSE {o.HalfMse:F4}.");
        ok = false;
    }
}
return ok ? 0 : 1;

static string F(double value, string format) => ConsoleTable.Number(value, format);
