// Trains with the MLNet.AdaBelief package as a user would, saves the model, and writes the scores it gives every row
// of the data, for PackageConsumer.Scorer to compare in a process that has only Microsoft.ML.
using System.Reflection;
using AdaBelief.Optimization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief;
using PackageConsumer;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: PackageConsumer.Trainer <housing.txt> <model.zip> <scores.txt>");
    return 2;
}

string dataPath = args[0], modelPath = args[1], scoresPath = args[2];
Assembly trainers = typeof(AdaBeliefRegressionTrainer).Assembly;
Assembly core = typeof(AdaBeliefOptimizer).Assembly;
Console.WriteLine($"MLNet.AdaBelief {Version(trainers)} from {trainers.Location}");
Console.WriteLine($"AdaBelief.Optimization {Version(core)} from {core.Location}");
Console.WriteLine($"Microsoft.ML {Version(typeof(MLContext).Assembly)}");

// The core package on its own: minimise (x - 3)^2 from x = 0.
float[] x = [0f];
var optimizer = new AdaBeliefOptimizer(1, new AdaBeliefOptions { LearningRate = 0.1 });
for (int step = 0; step < 500; step++)
{
    optimizer.Step(x, [2f * (x[0] - 3f)]);
}

Console.WriteLine($"AdaBeliefOptimizer: argmin of (x - 3)^2 found at x = {x[0]:F4}");
if (Math.Abs(x[0] - 3f) > 0.05f)
{
    Console.Error.WriteLine("FAIL: the optimizer did not reach the minimum at x = 3.");
    return 1;
}

var ml = new MLContext(seed: 1);
IDataView data = ml.Data.LoadFromTextFile<HousingRow>(dataPath, separatorChar: '\t', hasHeader: true);
DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

var pipeline = ml.Transforms.Concatenate("Features", HousingRow.FeatureColumns)
    .Append(ml.Regression.Trainers.AdaBelief());
ITransformer model = pipeline.Fit(split.TrainSet);
RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"AdaBelief regression on housing, held-out R² {metrics.RSquared:F4}, RMSE {metrics.RootMeanSquaredError:F3}");
if (!(metrics.RSquared > 0.5))
{
    Console.Error.WriteLine($"FAIL: held-out R² {metrics.RSquared} is below 0.5; a linear model reaches about 0.7 here.");
    return 1;
}

ml.Model.Save(model, data.Schema, modelPath);
PredictionEngine<HousingRow, HousingPrediction> engine = ml.Model.CreatePredictionEngine<HousingRow, HousingPrediction>(model);
float[] scores = ConsumerFiles.ReadRows(ml, dataPath).Select(row => engine.Predict(row).Score).ToArray();
ConsumerFiles.WriteScores(scoresPath, scores);
Console.WriteLine($"saved the model to {modelPath} and its scores of {scores.Length} rows to {scoresPath}");
return 0;

static string Version(Assembly assembly) =>
    assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?";
