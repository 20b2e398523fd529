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

var settings = new TrainingSettings(Epochs: 30, BatchSize: 32, PeakLearningRate: 0.05, Seed: 42);
var (train, test) = Preprocessing.Split(loaded.Data, trainFraction: 0.8, settings.Seed);
var standardizer = Standardizer.Fit(train);
standardizer.Apply(train);
standardizer.Apply(test);

var model = new LogisticRegressionModel(train.FeatureCount);
var trainer = new Trainer(model, train, settings);
var options = trainer.Options;
var positives = loaded.Data.Labels.Count(y => y == 1f);

Console.WriteLine("Breast cancer (Wisconsin): logistic regression trained with AdaBelief");
Console.WriteLine($"data:      {dataPath}");
Console.WriteLine($"rows:      {loaded.Data.RowCount} complete ({positives} malignant, {loaded.Data.RowCount - positives} benign); " +
                  $"{loaded.SkippedMissingRows} rows with a missing value ('{BreastCancerData.MissingValue}') skipped");
Console.WriteLine($"features:  {loaded.Data.FeatureCount}, standardized with the training split's mean and std");
Console.WriteLine($"split:     {train.RowCount} train / {test.RowCount} test (seeded shuffle, seed {settings.Seed})");
Console.WriteLine($"optimizer: AdaBelief, learning rate {options.LearningRate} (counting {options.ScheduleUnit.ToString().ToLowerInvariant()}s), " +
                  $"beta1 {options.Beta1}, beta2 {options.Beta2}, epsilon {options.Epsilon}, " +
                  $"weight decay {options.WeightDecay} ({(options.DecoupledWeightDecay ? "decoupled" : "L2")}) on the weights, not the bias");
Console.WriteLine($"training:  {settings.Epochs} epochs, batch {settings.BatchSize}, reshuffled each epoch; checkpointed halfway and resumed");
Console.WriteLine();
Console.WriteLine("epoch  train log-loss  learning rate");
void Print(EpochResult r) => Console.WriteLine($"{r.Epoch,5}  {r.TrainLogLoss,14:F4}  {r.LearningRate,13:G4}");

// First half, then a checkpoint: the model's parameters and the optimizer's moments and counters.
var halfway = settings.Epochs / 2;
trainer.Train(halfway, Print);
var checkpointPath = Path.Combine(Path.GetTempPath(), $"breast-cancer-adabelief-{Environment.ProcessId}.ckpt");
using (var file = File.Create(checkpointPath))
    trainer.SaveCheckpoint(file);
Console.WriteLine($"-- checkpoint after epoch {halfway}: {new FileInfo(checkpointPath).Length} bytes; resuming in a fresh model and optimizer --");

// A fresh model and optimizer, as after a restart, pick up from the checkpoint.
var resumedModel = new LogisticRegressionModel(train.FeatureCount);
var resumed = new Trainer(resumedModel, train, settings);
using (var file = File.OpenRead(checkpointPath))
    resumed.LoadCheckpoint(file);
File.Delete(checkpointPath);
resumed.Train(settings.Epochs, Print);

// The same run without the interruption, to show that resuming changes nothing.
var uninterruptedModel = new LogisticRegressionModel(train.FeatureCount);
new Trainer(uninterruptedModel, train, settings).Train(settings.Epochs, _ => { });
var identical = resumedModel.Weights.AsSpan().SequenceEqual(uninterruptedModel.Weights) && resumedModel.Bias[0] == uninterruptedModel.Bias[0];

var metrics = BinaryMetrics.Evaluate(resumedModel, test);
Console.WriteLine();
Console.WriteLine($"resumed run equals an uninterrupted run bit for bit: {identical}");
Console.WriteLine($"test accuracy: {metrics.Accuracy:F4}");
Console.WriteLine($"test log-loss: {metrics.LogLoss:F4}");
Console.WriteLine($"test AUC:      {metrics.Auc:F4}");
return identical ? 0 : 3;
