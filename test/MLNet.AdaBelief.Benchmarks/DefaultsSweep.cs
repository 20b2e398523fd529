using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief.Tests.Data;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// The measurements behind src/MLNet.AdaBelief/Trainers/DEFAULTS.md: 5-fold cross-validation (seed 1) of the AdaBelief trainers with default
/// options except the swept ones, on the bundled data sets (raw features) and on synthetic linear data. Run as
/// <c>dotnet run -c Release --project test/MLNet.AdaBelief.Benchmarks -- sweep [set=...] [lr=...] [batch=...] [epochs=...]</c>;
/// each setting is a comma-separated list, <c>epochs=auto</c> is the automatic count.
/// </summary>
internal static class DefaultsSweep
{
    private const int Seed = 1;

    public static void Run(string[] args)
    {
        Dictionary<string, string> a = args.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        if (a.ContainsKey("speed"))
        {
            Speed(a);
            return;
        }

        string[] sets = Get(a, "set", "housing,adult,breast-cancer,iris,synthetic-regression,synthetic-binary").Split(',');
        double[] rates = Get(a, "lr", AdaBeliefTrainerDefaults.LearningRate.ToString(CultureInfo.InvariantCulture)).Split(',').Select(Parse).ToArray();
        string[] batches = Get(a, "batch", "default").Split(',');
        string[] epochs = Get(a, "epochs", "auto").Split(',');
        double[] beta2s = Get(a, "beta2", "0.999").Split(',').Select(Parse).ToArray();
        Console.WriteLine("| data set | learning rate | batch | epochs | β₂ | metric | sd | seconds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string set in sets)
        {
            foreach (double rate in rates)
            foreach (string batch in batches)
            foreach (string epoch in epochs)
            foreach (double beta2 in beta2s)
            {
                void Configure(AdaBeliefTrainerOptionsBase o)
                {
                    o.LearningRate = rate;
                    if (batch != "default")
                        o.BatchSize = int.Parse(batch, CultureInfo.InvariantCulture);
                    o.NumberOfEpochs = epoch == "auto" ? null : int.Parse(epoch, CultureInfo.InvariantCulture);
                    o.Beta2 = beta2;
                }

                // As in DefaultQualityTests: one MLContext(seed: 1) loads the data and cross-validates, so the trainer
                // draws the same shuffling seed from it and the default row matches the test's number exactly.
                var ml = new MLContext(seed: Seed);
                IDataView data = ml.Data.Cache(Load(set, ml));
                var clock = Stopwatch.StartNew();
                double[] folds = CrossValidate(set, ml, data, Configure);
                clock.Stop();
                double mean = folds.Average();
                double sd = Math.Sqrt(folds.Sum(v => (v - mean) * (v - mean)) / (folds.Length - 1));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {set} | {rate} | {batch} | {epoch} | {beta2} | {mean:F4} | {sd:F4} | {clock.Elapsed.TotalSeconds:F2} |"));
            }
        }
    }

    /// <summary>
    /// Fit time on 1,000,000 × 100 dense synthetic regression rows (cached in memory first), for the settings given,
    /// against SDCA on the same view; each fit runs <c>repeat</c> times and the fastest is shown.
    /// </summary>
    private static void Speed(Dictionary<string, string> a)
    {
        int rows = int.Parse(Get(a, "rows", "1000000"), CultureInfo.InvariantCulture);
        int repeat = int.Parse(Get(a, "repeat", "2"), CultureInfo.InvariantCulture);
        var ml = new MLContext(seed: Seed);
        IDataView data = ml.Data.Cache(Synthetic(ml, rows, 100, binary: false));
        _ = DataSets.CountRows(data); // fill the cache
        IDataView test = ml.Data.TakeRows(data, 100_000);
        Console.WriteLine("| trainer | batch | epochs | seconds | R² (first 100k rows) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        if (Get(a, "sdca", "1") == "1")
            Time("Sdca", "-", "-", () => ml.Regression.Trainers.Sdca().Fit(data));
        foreach (string batch in Get(a, "batch", "default").Split(','))
        foreach (string epoch in Get(a, "epochs", "auto").Split(','))
        {
            var o = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = epoch == "auto" ? null : int.Parse(epoch, CultureInfo.InvariantCulture) };
            if (batch != "default")
                o.BatchSize = int.Parse(batch, CultureInfo.InvariantCulture);
            Time("AdaBelief", batch, epoch, () => ml.Regression.Trainers.AdaBelief(o).Fit(data));
        }

        void Time(string name, string batch, string epoch, Func<ITransformer> fit)
        {
            double best = double.PositiveInfinity;
            ITransformer? model = null;
            for (int i = 0; i < repeat; i++)
            {
                var clock = Stopwatch.StartNew();
                model = fit();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            double r2 = ml.Regression.Evaluate(model!.Transform(test)).RSquared;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {batch} | {epoch} | {best:F2} | {r2:F4} |"));
        }
    }

    private static string Get(Dictionary<string, string> a, string key, string fallback) => a.TryGetValue(key, out string? v) ? v : fallback;

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static IDataView Load(string set, MLContext ml) => set switch
    {
        "housing" => DataSets.Housing(ml),
        "adult" => DataSets.Adult(ml),
        "breast-cancer" => DataSets.BreastCancer(ml),
        "iris" => DataSets.Iris(ml),
        "synthetic-regression" => Synthetic(ml, 100_000, 20, binary: false),
        "synthetic-binary" => Synthetic(ml, 100_000, 20, binary: true),
        _ => throw new ArgumentException($"Unknown data set {set}."),
    };

    private static double[] CrossValidate(string set, MLContext ml, IDataView data, Action<AdaBeliefTrainerOptionsBase> configure)
    {
        switch (set)
        {
            case "housing" or "synthetic-regression":
                var r = new AdaBeliefRegressionTrainer.Options();
                configure(r);
                return [.. ml.Regression.CrossValidate(data, ml.Regression.Trainers.AdaBelief(r), 5, seed: Seed).Select(f => f.Metrics.RSquared)];
            case "iris":
                var m = new AdaBeliefMulticlassTrainer.Options();
                configure(m);
                return [.. ml.MulticlassClassification.CrossValidate(data, ml.MulticlassClassification.Trainers.AdaBelief(m), 5, seed: Seed).Select(f => f.Metrics.MacroAccuracy)];
            default:
                var b = new AdaBeliefBinaryTrainer.Options();
                configure(b);
                return [.. ml.BinaryClassification.CrossValidate(data, ml.BinaryClassification.Trainers.AdaBelief(b), 5, seed: Seed).Select(f => f.Metrics.AreaUnderRocCurve)];
        }
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public bool BinaryLabel { get; set; }

        [VectorType]
        public float[] Features { get; set; } = [];
    }

    /// <summary>
    /// y = w·x + 0.5·noise (regression) or y ~ Bernoulli(sigmoid(w·x)) (binary), with features of mixed scales and
    /// offsets (x_j = offset_j + scale_j·N(0,1), scales 10^-2..10^3) so that raw features are badly conditioned.
    /// </summary>
    private static IDataView Synthetic(MLContext ml, int rows, int features, bool binary)
    {
        IDataView view = SyntheticView(ml, rows, features);
        return binary
            ? ml.Transforms.CopyColumns("Label", "BinaryLabel").Append(ml.Transforms.SelectColumns("Label", "Features")).Fit(view).Transform(view)
            : ml.Transforms.SelectColumns("Label", "Features").Fit(view).Transform(view);
    }

    private static IDataView SyntheticView(MLContext ml, int rows, int features)
    {
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return ml.Data.LoadFromEnumerable(SyntheticRows(rows, features), schema);
    }

    private static Row[] SyntheticRows(int rows, int features)
    {
        var random = new Random(42);
        double[] w = [.. Enumerable.Range(0, features).Select(_ => random.NextDouble() * 2 - 1)];
        double[] scale = [.. Enumerable.Range(0, features).Select(j => Math.Pow(10, -2 + 5.0 * j / (features - 1)))];
        double[] offset = [.. Enumerable.Range(0, features).Select(j => (random.NextDouble() * 2 - 1) * 5 * scale[j])];
        var data = new Row[rows];
        for (int i = 0; i < rows; i++)
        {
            float[] x = new float[features];
            double z = 0.3;
            for (int j = 0; j < features; j++)
            {
                double g = Gaussian(random);
                x[j] = (float)(offset[j] + scale[j] * g);
                z += w[j] * g;
            }

            double noisy = z + 0.5 * Gaussian(random);
            bool positive = random.NextDouble() < 1 / (1 + Math.Exp(-2 * z));
            data[i] = new Row { Label = (float)noisy, BinaryLabel = positive, Features = x };
        }

        return data;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
