// Loads a model trained by MLNet.AdaBelief in a program that references only Microsoft.ML, scores every row, and
// checks the scores are exactly those the training program computed.
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using PackageConsumer;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: PackageConsumer.Scorer <housing.txt> <model.zip> <scores.txt>");
    return 2;
}

string dataPath = args[0], modelPath = args[1], scoresPath = args[2];
string[] foreign = ["MLNet.AdaBelief.dll", "AdaBelief.Optimization.dll"];
string[] present = foreign.Where(f => File.Exists(Path.Combine(AppContext.BaseDirectory, f))).ToArray();
if (present.Length > 0)
{
    Console.Error.WriteLine($"FAIL: the scorer must not ship the trainer's assemblies, found {string.Join(", ", present)}.");
    return 1;
}

var ml = new MLContext();
ITransformer model = ml.Model.Load(modelPath, out DataViewSchema inputSchema);
string mlVersion = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
Console.WriteLine($"loaded {modelPath} with Microsoft.ML {mlVersion} alone ({inputSchema.Count} input columns)");

PredictionEngine<HousingRow, HousingPrediction> engine = ml.Model.CreatePredictionEngine<HousingRow, HousingPrediction>(model);
HousingRow[] rows = ConsumerFiles.ReadRows(ml, dataPath).ToArray();
float[] scores = rows.Select(row => engine.Predict(row).Score).ToArray();
float[] expected = ConsumerFiles.ReadScores(scoresPath);
if (scores.Length != expected.Length)
{
    Console.Error.WriteLine($"FAIL: scored {scores.Length} rows, the training program scored {expected.Length}.");
    return 1;
}

int differing = scores.Zip(expected).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(rows)));
Console.WriteLine($"scored {scores.Length} rows: {differing} differ from the training program's scores; R² on all rows {metrics.RSquared:F4}");
bool loadedTrainer = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name is "MLNet.AdaBelief" or "AdaBelief.Optimization");
if (loadedTrainer)
{
    Console.Error.WriteLine("FAIL: scoring loaded an MLNet.AdaBelief assembly.");
    return 1;
}

return differing == 0 && metrics.RSquared > 0.5 ? 0 : 1;
