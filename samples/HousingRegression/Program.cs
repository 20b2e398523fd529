using System.Globalization;
using HousingRegression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief;

// Trains linear regression with the AdaBelief trainer on raw (unnormalized) housing features, evaluates it on a
// held-out split and by 5-fold cross-validation next to ML.NET's SDCA (which needs a normalizer), then saves the
// model and reloads it as a plain ML.NET model.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string path = HousingData.Locate(args);
if (!File.Exists(path))
{
    Console.Error.WriteLine($"The housing data was not found at {path}. Build the sample (it copies samples/data/housing.txt) or pass the file's path.");
    return 1;
}

var ml = new MLContext(seed: 1);
IDataView data = HousingData.Load(ml, path);
DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

Console.WriteLine("Boston housing: median home value from 13 raw features, AdaBelief linear regression");
Console.WriteLine($"data: {path}");
Console.WriteLine();

var trainer = ml.Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options
{
    ProgressCallback = p =>
    {
        if (p.Epoch == 1 || p.Epoch % 20 == 0)
            Console.WriteLine($"epoch {p.Epoch,4}  training loss {p.TrainingLoss,9:F4}  learning rate {p.LearningRate,8:G3}  {p.Elapsed.TotalMilliseconds,7:F0} ms");
    },
});
RegressionPredictionTransformer<LinearRegressionModelParameters> model = trainer.Fit(split.TrainSet);
Console.WriteLine($"trained {trainer.TrainingHistory.Count} epochs (default settings; training loss is half the mean squared error)");
Console.WriteLine();

RegressionMetrics test = ml.Regression.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"held-out test set: R² {test.RSquared:F4}  RMSE {test.RootMeanSquaredError:F3}  MAE {test.MeanAbsoluteError:F3} ($1000s)");

Console.WriteLine();
Console.WriteLine("weights on raw features (per unit of each feature):");
float[] weights = model.Model.Weights.ToArray();
for (int j = 0; j < weights.Length; j++)
    Console.WriteLine($"  {HousingData.FeatureNames[j],-20} {weights[j],10:F4}");
Console.WriteLine($"  {"(bias)",-20} {model.Model.Bias,10:F4}");

Console.WriteLine();
Console.WriteLine("5-fold cross-validated R² (seed 1):");
double adaBelief = ml.Regression.CrossValidate(data, ml.Regression.Trainers.AdaBelief(), numberOfFolds: 5, seed: 1)
    .Average(f => f.Metrics.RSquared);
double sdca = ml.Regression.CrossValidate(
        data, ml.Transforms.NormalizeMinMax("Features").Append(ml.Regression.Trainers.Sdca()), numberOfFolds: 5, seed: 1)
    .Average(f => f.Metrics.RSquared);
Console.WriteLine($"  AdaBelief, raw features        {adaBelief:F4}");
Console.WriteLine($"  SDCA, MinMax-normalized        {sdca:F4}");

// The model is ML.NET's own LinearRegressionModelParameters: it saves and loads without this package.
string modelPath = Path.Combine(Path.GetTempPath(), "housing-adabelief.zip");
ml.Model.Save(model, data.Schema, modelPath);
var fresh = new MLContext();
ITransformer loaded = fresh.Model.Load(modelPath, out _);
float[] before = ml.Data.CreateEnumerable<Prediction>(model.Transform(split.TestSet), reuseRowObject: false).Select(p => p.Score).ToArray();
float[] after = fresh.Data.CreateEnumerable<Prediction>(loaded.Transform(split.TestSet), reuseRowObject: false).Select(p => p.Score).ToArray();
Console.WriteLine();
Console.WriteLine($"saved to {modelPath} and reloaded in a new MLContext: {(before.SequenceEqual(after) ? "identical" : "DIFFERENT")} predictions on {after.Length} test rows");
return before.SequenceEqual(after) ? 0 : 2;

/// <summary>The score column of a regression model's output.</summary>
internal sealed class Prediction
{
    public float Score { get; set; }
}
