using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief.Benchmarks.QualityMatrix;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// <c>-- sparse [--rows N] [--features F] [--tokens T] [--runs R] [trainer ...]</c>: Fit time and test AUC on a
/// synthetic text-like binary set (Zipf-distributed tokens, L2-normalized counts, as FeaturizeText gives), for the
/// AdaBelief binary trainer with its defaults and ML.NET's built-in sparse-capable linear trainers. Trainers:
/// <c>AdaBelief</c>, <c>Sdca</c> (SdcaLogisticRegression), <c>AveragedPerceptron</c>, <c>Lbfgs</c>; all four by
/// default; <c>AdaBelief@0.03</c> is AdaBelief with that learning rate, <c>AdaBelief:Beta2=0.9999;Seed=2</c> with those
/// options (as the quality matrix's <c>--options</c>). Each Fit reads the same in-memory view; times are the median of the runs, as wall-clock time and as the
/// process's CPU time (all threads), which a machine shared with other work disturbs less.
/// </summary>
internal static class SparseTextTiming
{
    public static void Run(string[] args)
    {
        int rows = 300_000, features = 1 << 17, tokens = 40, runs = 3;
        bool phases = false;
        var trainers = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--features": features = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--phases": phases = true; break;
                default: trainers.Add(args[i]); break;
            }
        }

        if (trainers.Count == 0)
            trainers.AddRange(["AdaBelief", "Sdca", "AveragedPerceptron", "Lbfgs"]);

        var ml = new MLContext(seed: 1);
        var clock = Stopwatch.StartNew();
        (IDataView train, IDataView test) = Generate(ml, rows, features, tokens, seed: 7);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} rows ({rows * 4 / 5} train) x {features} features, ~{tokens} Zipf tokens a row; generated in {clock.Elapsed.TotalSeconds:F1} s"));

        if (phases)
        {
            Phases(train);
            return;
        }

        foreach (string name in trainers)
        {
            var times = new List<double>();
            var cpuTimes = new List<double>();
            var trainingTimes = new List<double>();
            double auc = double.NaN;
            for (int run = 0; run < runs; run++)
            {
                IEstimator<ITransformer> trainer = Create(ml, name);
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                clock.Restart();
                ITransformer model = trainer.Fit(train);
                times.Add(clock.Elapsed.TotalSeconds);
                cpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                auc = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(test)).AreaUnderRocCurve;
                if (trainer is AdaBeliefBinaryTrainer adaBelief)
                    trainingTimes.Add(adaBelief.TrainingHistory[^1].Elapsed.TotalSeconds);
            }

            if (trainingTimes.Count > 0)
            {
                // Training's clock starts once the rows are read: the rest of a Fit is reading them (and ML.NET's checks).
                double[] inOrder = [.. times.Zip(trainingTimes, (fit, training) => fit - training)];
                double[] reading = [.. inOrder.Order()];
                double[] training = [.. trainingTimes.Order()];
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  AdaBelief reading median {reading[reading.Length / 2]:F3} s (min {reading[0]:F3}), statistics and epochs median {training[training.Length / 2]:F3} s (min {training[0]:F3}); readings in order [{string.Join(", ", inOrder.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}]"));
            }

            times.Sort();
            cpuTimes.Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name,-20} Fit median {times[times.Count / 2],7:F3} s of [{string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}], process CPU median {cpuTimes[cpuTimes.Count / 2]:F3} s  test AUC {auc:F4}"));
        }
    }

    /// <summary>The trainer's time split into reading the rows and its epochs (process CPU time), for profiling.</summary>
    private static void Phases(IDataView train)
    {
        var columns = MLNet.AdaBelief.Trainers.Data.TrainingColumns.Resolve(train.Schema, "Label", "Features", null, MLNet.AdaBelief.Trainers.Data.LabelKind.Boolean);
        var request = new MLNet.AdaBelief.Training.DataStatistics.Request(true, 0);
        for (int run = 0; run < 3; run++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            using var loaded = MLNet.AdaBelief.Trainers.Data.TrainingDataLoader.Load(train, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes, request);
            double load = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            foreach (int batch in new[] { 64, 256 })
            {
                var settings = new MLNet.AdaBelief.Training.LinearTrainerSettings { Epochs = 3, BatchSize = batch, ShuffleBlockSize = loaded.BlockSize, Seed = 1 };
                var trainer = new MLNet.AdaBelief.Training.LinearModelTrainer(MLNet.AdaBelief.Training.LinearLosses.Create(MLNet.AdaBelief.Training.LinearModelLoss.Logistic), settings, new AdaBeliefOptions { LearningRate = new FixedLearningRate(0.05) });
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                trainer.Train(loaded.Rows, measured: loaded.Statistics);
                double epochs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load {load:F3} s CPU; batch {batch}: 3 epochs {epochs:F3} s CPU"));
            }
        }
    }

    private static IEstimator<ITransformer> Create(MLContext ml, string name) => name switch
    {
        "AdaBelief" => ml.BinaryClassification.Trainers.AdaBelief(),
        _ when name.StartsWith("AdaBelief@", StringComparison.Ordinal) => ml.BinaryClassification.Trainers.AdaBelief(learningRate: double.Parse(name["AdaBelief@".Length..], CultureInfo.InvariantCulture)),
        _ when name.StartsWith("AdaBelief:", StringComparison.Ordinal) => ml.BinaryClassification.Trainers.AdaBelief(Configured(name["AdaBelief:".Length..])),
        "Sdca" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
        "AveragedPerceptron" => ml.BinaryClassification.Trainers.AveragedPerceptron(),
        "Lbfgs" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        _ => throw new ArgumentException($"Unknown trainer {name}; use AdaBelief, AdaBelief@rate, AdaBelief:options, Sdca, AveragedPerceptron or Lbfgs."),
    };

    private static AdaBeliefBinaryTrainer.Options Configured(string options)
    {
        var result = new AdaBeliefBinaryTrainer.Options();
        QualityMatrixCommand.OptionsSetter(options)(result);
        return result;
    }

    /// <summary>
    /// Rows of Zipf(1.1)-distributed token ids with their counts, L2-normalized; the label is drawn from the logistic
    /// of a hidden weight per token (standard normal) times the row, so rare tokens carry as much signal as common ones.
    /// </summary>
    private static (IDataView Train, IDataView Test) Generate(MLContext ml, int rows, int features, int tokens, int seed)
    {
        var random = new Random(seed);
        double[] cumulative = new double[features];
        double total = 0;
        for (int j = 0; j < features; j++)
            cumulative[j] = total += Math.Pow(j + 1, -1.1);
        float[] hidden = new float[features];
        for (int j = 0; j < features; j++)
            hidden[j] = (float)Gaussian(random);

        var data = new TextLikeRow[rows];
        var counts = new SortedDictionary<int, float>();
        for (int i = 0; i < rows; i++)
        {
            counts.Clear();
            for (int t = 0; t < tokens; t++)
            {
                int j = Array.BinarySearch(cumulative, random.NextDouble() * total);
                j = j < 0 ? ~j : j;
                counts[j] = counts.GetValueOrDefault(j) + 1;
            }

            float norm = MathF.Sqrt(counts.Values.Sum(c => c * c));
            int[] indices = [.. counts.Keys];
            float[] values = counts.Values.Select(c => c / norm).ToArray();
            double score = 0;
            for (int k = 0; k < indices.Length; k++)
                score += values[k] * hidden[indices[k]];
            bool label = random.NextDouble() < 1 / (1 + Math.Exp(-3 * score));
            data[i] = new TextLikeRow { Label = label, Features = new VBuffer<float>(features, indices.Length, values, indices) };
        }

        var schema = SchemaDefinition.Create(typeof(TextLikeRow));
        schema[nameof(TextLikeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        int trainRows = rows * 4 / 5;
        return (ml.Data.LoadFromEnumerable(data[..trainRows], schema), ml.Data.LoadFromEnumerable(data[trainRows..], schema));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class TextLikeRow
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }
}
