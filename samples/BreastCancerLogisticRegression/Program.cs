using System.Globalization;
using BreastCancerLogisticRegression;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var dataPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "breast-cancer.txt");
if (!File.Exists(dataPath))
{
    Console.Error.WriteLine($"error: data file not found: {dataPath}");
    Console.Error.WriteLine("Build the sample (the project copies samples/data/breast-cancer.txt next to the program) or pass the file's path as the first argument.");
    return 1;
}

LoadResult loaded;
try
{
    loaded = BreastCancerData.Load(dataPath);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

var settings = new TrainingSettings(Epochs: 30, BatchSize: 32, BaseLearningRate: 0.05, Seed: 42);
var (train, test) = Preprocessing.Split(loaded.Data, trainFraction: 0.8, settings.Seed);
var standardizer = Standardizer.Fit(train);
standardizer.Apply(train);
standardizer.Apply(test);

var options = Trainer.CreateOptions(settings);
var positives = loaded.Data.Labels.Count(y => y == 1f);

Console.WriteLine("Breast cancer (Wisconsin): logistic regression trained with AdaBelief");
Console.WriteLine($"data:      {dataPath}");
Console.WriteLine($"rows:      {loaded.Data.RowCount} complete ({positives} malignant, {loaded.Data.RowCount - positives} benign); " +
                  $"{loaded.SkippedMissingRows} rows with a missing value ('{BreastCancerData.MissingValue}') skipped");
Console.WriteLine($"features:  {loaded.Data.FeatureCount}, standardized with the training split's mean and std");
Console.WriteLine($"split:     {train.RowCount} train / {test.RowCount} test (seeded shuffle, seed {settings.Seed})");
Console.WriteLine($"optimizer: AdaBelief, learning rate {options.LearningRate} (schedule unit: {options.ScheduleUnit}), " +
                  $"beta1 {options.Beta1}, beta2 {options.Beta2}, epsilon {options.Epsilon}, " +
                  $"weight decay {options.WeightDecay} ({(options.DecoupledWeightDecay ? "decoupled" : "L2")})");
Console.WriteLine($"training:  {settings.Epochs} epochs, batch {settings.BatchSize}, reshuffled each epoch");
Console.WriteLine();
Console.WriteLine("epoch  train log-loss  learning rate");

var model = new LogisticRegressionModel(train.FeatureCount);
Trainer.Train(model, train, settings, options, r =>
    Console.WriteLine($"{r.Epoch,5}  {r.TrainLogLoss,14:F4}  {r.LearningRate,13:G4}"));

var metrics = BinaryMetrics.Evaluate(model, test);
Console.WriteLine();
Console.WriteLine($"test accuracy: {metrics.Accuracy:F4}");
Console.WriteLine($"test log-loss: {metrics.LogLoss:F4}");
Console.WriteLine($"test AUC:      {metrics.Auc:F4}");
return 0;
