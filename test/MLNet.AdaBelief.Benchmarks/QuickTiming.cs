using System.Diagnostics;
using System.Globalization;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// <c>-- quick [method ...] [--runs N] [--rounds N]</c>: times <see cref="LinearRegressionBenchmarks"/> methods with a
/// stopwatch in one process (<c>--rounds N</c>: the methods in N alternating rounds after one untimed call each,
/// printing the median of the rounds' time ratios to the first method's, which a host whose speed drifts disturbs
/// less), <c>Phases</c> splits the trainer's time into loading, statistics and epochs, <c>Loads</c> reads the rows into
/// a store N times (each disposed before the next), <c>MulticlassPhases</c> times the epochs of the synthetic dense
/// multiclass set with and without the second core and shuffling, <c>SoftmaxRows</c> the softmax loss's row arithmetic
/// on cached rows, <c>GitHubPhases</c> the GitHub-issues folds' reading and training (<see cref="GitHubIssuesPhases"/>),
/// <c>SparseSplit</c> the lazy step on one core and on two (<see cref="ChunkedSparseStepTiming"/>), and <c>SparseStep</c> times
/// <see cref="SparseStepBenchmarks"/> (the lazy step) over N × 50 invocations per row length, reporting the fastest and
/// the median, which a busy host disturbs less than BenchmarkDotNet's mean (for profiling and A/B comparisons; the
/// numbers to quote come from BenchmarkDotNet).
/// </summary>
internal static class QuickTiming
{
    public static void Run(string[] args)
    {
        int runs = 3, rounds = 0;
        var methods = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs")
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--rounds")
                rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else
                methods.Add(args[i]);
        }

        if (methods.Count == 0)
            methods.AddRange([nameof(LinearRegressionBenchmarks.AdaBelief), nameof(LinearRegressionBenchmarks.Sdca)]);

        var benchmarks = new Lazy<LinearRegressionBenchmarks>(() =>
        {
            var regression = new LinearRegressionBenchmarks();
            regression.Setup();
            return regression;
        });
        if (rounds > 0)
        {
            InRounds(benchmarks.Value, methods, rounds);
            return;
        }

        foreach (string name in methods)
        {
            if (name == "Loads")
            {
                Loads(benchmarks.Value, runs);
                continue;
            }

            if (name == "Phases")
            {
                for (int run = 0; run < runs; run++)
                    Phases(benchmarks.Value);
                continue;
            }

            if (name == "SoftmaxRows")
            {
                SoftmaxRows(runs);
                continue;
            }

            if (name == "MulticlassPhases")
            {
                MulticlassPhases(runs);
                continue;
            }

            if (name == "GitHubPhases")
            {
                GitHubIssuesPhases.Run(runs);
                continue;
            }

            if (name == "SparseSplit")
            {
                ChunkedSparseStepTiming.Run(runs);
                continue;
            }

            if (name == "SparseStep")
            {
                SparseSteps(50 * runs);
                continue;
            }

            var method = typeof(LinearRegressionBenchmarks).GetMethod(name) ?? throw new ArgumentException($"No method {name}.");
            LinearRegressionBenchmarks regression = benchmarks.Value; // the data is generated before the clock starts
            var times = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                method.Invoke(regression, null);
                times.Add(clock.Elapsed.TotalSeconds);
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: median {times[times.Count / 2]:F4} s of [{string.Join(", ", times.Select(t => t.ToString("F4", CultureInfo.InvariantCulture)))}]"));
            if (name == nameof(LinearRegressionBenchmarks.HandWrittenLoop))
                benchmarks.Value.ReportHandWritten();
            else
                benchmarks.Value.ReportModel();
        }
    }

    /// <summary>
    /// Reads the regression's rows into a store <paramref name="runs"/> times, each store disposed before the next is
    /// read, printing each read's seconds and minor page faults: the later reads can reuse the first one's memory.
    /// </summary>
    private static void Loads(LinearRegressionBenchmarks benchmarks, int runs)
    {
        var columns = MLNet.AdaBelief.Trainers.Data.TrainingColumns.Resolve(benchmarks.Train.Schema, "Label", "Features", null, MLNet.AdaBelief.Trainers.Data.LabelKind.Real);
        var reads = new List<string>();
        for (int run = 0; run < runs; run++)
        {
            long faults = MinorFaults();
            var clock = Stopwatch.StartNew();
            MLNet.AdaBelief.Trainers.Data.TrainingDataLoader.Load(benchmarks.Train, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes).Dispose();
            reads.Add(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F3} s ({MinorFaults() - faults} faults)"));
        }

        Console.WriteLine("reads: " + string.Join(", ", reads));
    }

    private static void Phases(LinearRegressionBenchmarks benchmarks)
    {
        var columns = MLNet.AdaBelief.Trainers.Data.TrainingColumns.Resolve(benchmarks.Train.Schema, "Label", "Features", null, MLNet.AdaBelief.Trainers.Data.LabelKind.Real);
        long faults = MinorFaults();
        var clock = Stopwatch.StartNew();
        var loaded = MLNet.AdaBelief.Trainers.Data.TrainingDataLoader.Load(benchmarks.Train, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        double load = clock.Elapsed.TotalSeconds;
        faults = MinorFaults() - faults;
        clock.Restart();
        var statistics = MLNet.AdaBelief.Training.DataStatistics.Compute(loaded.Rows, true, 0);
        double stats = clock.Elapsed.TotalSeconds;
        GC.KeepAlive(statistics);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load {load:F4} s ({faults} minor page faults), statistics {stats:F4} s"));
        foreach (int batch in new[] { 64, 128, 256 })
        {
            foreach ((bool shuffle, bool secondCore) in new[] { (true, true), (true, false), (false, true), (false, false) })
            {
                var loss = MLNet.AdaBelief.Training.LinearLosses.Create(MLNet.AdaBelief.Training.LinearModelLoss.Squared);
                (string epochs, _) = TimeThreeEpochs(loaded, loss, batch, shuffle, secondCore);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch {batch} shuffle {shuffle} second core allowed {secondCore}: epochs {epochs} s"));
            }
        }
    }

    /// <summary>
    /// Trains three epochs on the loaded rows (seed 1, a fixed rate of 0.01) and returns each epoch's seconds,
    /// comma-separated, and the whole training's.
    /// </summary>
    private static (string Epochs, double Total) TimeThreeEpochs(MLNet.AdaBelief.Trainers.Data.LoadedTrainingData loaded, MLNet.AdaBelief.Training.ILinearLoss loss, int batchSize, bool shuffle, bool secondCore)
    {
        var settings = new MLNet.AdaBelief.Training.LinearTrainerSettings { Epochs = 3, BatchSize = batchSize, Shuffle = shuffle, ShuffleBlockSize = loaded.BlockSize, Seed = 1, UseSecondCore = secondCore };
        var trainer = new MLNet.AdaBelief.Training.LinearModelTrainer(loss, settings, new AdaBeliefOptions { LearningRate = new FixedLearningRate(0.01) });
        var clock = Stopwatch.StartNew();
        var h = trainer.Train(loaded.Rows).History;
        double total = clock.Elapsed.TotalSeconds;
        string epochs = string.Join(", ", h.Select((p, i) => ((p.Elapsed - (i == 0 ? TimeSpan.Zero : h[i - 1].Elapsed)).TotalSeconds).ToString("F4", CultureInfo.InvariantCulture)));
        return (epochs, total);
    }

    /// <summary>
    /// Times three epochs of the synthetic dense multiclass set (300,000 × 100, 10 classes) at batch 64, with and
    /// without the second core, shuffled and in order, <paramref name="runs"/> times each, printing each fit's epoch times.
    /// </summary>
    private static void MulticlassPhases(int runs)
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var rows = QualityMatrix.SyntheticMatrixData.DenseMulticlass(ml);
        var columns = MLNet.AdaBelief.Trainers.Data.TrainingColumns.Resolve(rows.Train.Schema, "Label", "Features", null, MLNet.AdaBelief.Trainers.Data.LabelKind.Key);
        using var loaded = MLNet.AdaBelief.Trainers.Data.TrainingDataLoader.Load(rows.Train, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        for (int run = 0; run < runs; run++)
        {
            foreach ((bool secondCore, bool shuffle) in new[] { (true, true), (false, true), (true, false), (false, false) })
            {
                var loss = MLNet.AdaBelief.Training.LinearLosses.Create(MLNet.AdaBelief.Training.LinearModelLoss.SoftmaxCrossEntropy, QualityMatrix.SyntheticMatrixData.Classes);
                (string epochs, double total) = TimeThreeEpochs(loaded, loss, 64, shuffle, secondCore);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second core allowed {secondCore}, shuffle {shuffle}: total {total:F4} s, epochs {epochs} s"));
            }
        }
    }

    /// <summary>
    /// The softmax loss's gradient over 32-row batches of 1,024 cached dense rows (100 features, 10 classes): the
    /// fastest and the median of <paramref name="runs"/> × 20 passes, in ns per row (the row arithmetic alone, without
    /// memory misses or the optimizer's step).
    /// </summary>
    private static void SoftmaxRows(int runs)
    {
        const int Rows = 1024, Features = 100, Classes = 10, Batch = 32;
        var random = new Random(5);
        var store = new MLNet.AdaBelief.Training.RowStore(Features, sparse: false, Rows);
        float[] x = new float[Features];
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Features; j++)
                x[j] = (float)(random.NextDouble() * 2 - 1);
            store.AddDenseRow(x, random.Next(Classes));
        }

        float[] weights = [.. Enumerable.Range(0, Classes * Features).Select(_ => (float)(random.NextDouble() * 0.2 - 0.1))];
        float[] biases = new float[Classes], weightGradient = new float[weights.Length], biasGradient = new float[Classes];
        int[] order = [.. Enumerable.Range(0, Rows).OrderBy(_ => random.Next())];
        var loss = MLNet.AdaBelief.Training.LinearLosses.Create(MLNet.AdaBelief.Training.LinearModelLoss.SoftmaxCrossEntropy, Classes);
        var times = new List<double>();
        double sink = 0;
        for (int pass = 0; pass < (runs * 20) + 50; pass++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int b = 0; b < Rows; b += Batch)
                sink += loss.Accumulate(new MLNet.AdaBelief.Training.RowBatch(store, order.AsSpan(b, Batch)), weights, biases, 1f / Batch, weightGradient, biasGradient);
            if (pass >= 50)
                times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / Rows);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SoftmaxRows: fastest {times[0]:F1} ns per row, median {times[times.Count / 2]:F1} (loss {sink:G3})"));
    }

    private static void InRounds(LinearRegressionBenchmarks regression, List<string> names, int rounds)
    {
        var methods = names.Select(name => typeof(LinearRegressionBenchmarks).GetMethod(name) ?? throw new ArgumentException($"No method {name}.")).ToArray();
        foreach (var method in methods)
            method.Invoke(regression, null); // untimed: compiles the code
        var seconds = methods.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int m = 0; m < methods.Length; m++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var clock = Stopwatch.StartNew();
                methods[m].Invoke(regression, null);
                seconds[m].Add(clock.Elapsed.TotalSeconds);
            }
        }

        for (int m = 0; m < methods.Length; m++)
        {
            double[] sorted = [.. seconds[m].Order()];
            double[] ratios = [.. seconds[m].Zip(seconds[0], (time, first) => time / first).Order()];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{names[m]}: median {sorted[rounds / 2]:F4} s (min {sorted[0]:F4}); over {names[0]}, median of {rounds} rounds {ratios[rounds / 2]:F2}× (rounds {string.Join(", ", seconds[m].Zip(seconds[0], (time, first) => (time / first).ToString("F2", CultureInfo.InvariantCulture)))})"));
        }
    }

    private static void SparseSteps(int invocations)
    {
        foreach (int rowLength in new[] { 1, 22 })
        {
            var benchmark = new SparseStepBenchmarks { RowLength = rowLength };
            benchmark.Setup();
            var times = new double[invocations];
            for (int warmup = 0; warmup < invocations / 5; warmup++)
                benchmark.LazySteps();
            for (int i = 0; i < invocations; i++)
            {
                long start = Stopwatch.GetTimestamp();
                benchmark.LazySteps();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SparseStep row length {rowLength}: fastest {times[0]:F3} ms, median {times[invocations / 2]:F3} ms per {SparseStepBenchmarks.StepsPerInvocation} steps"));
        }
    }

    /// <summary>The process's minor page faults so far (Linux; 0 elsewhere).</summary>
    private static long MinorFaults()
    {
        if (!File.Exists("/proc/self/stat"))
            return 0;
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture); // the file's 10th field, minflt
    }
}
