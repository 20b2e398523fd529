using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>
/// <c>dotnet run -c Release --project test/MLNet.AdaBelief.Benchmarks -- --quality-matrix [--sets a,b]
/// [--trainers x,y] [--options Name=value;Name=value] [--label name] [--results file] [--report] [--warmup [W]] [--runs R]
/// [--interleave]</c>: trains AdaBelief with its
/// defaults and ML.NET's built-in linear trainers on every data set of <see cref="MatrixDataSets"/>, prints a summary
/// and a full table, and merges the results into the results file (by default
/// <c>test/MLNet.AdaBelief.Benchmarks/QualityMatrix/results.json</c>), so a later run of AdaBelief alone
/// (<c>--trainers AdaBelief</c>) is compared with the stored built-ins.
/// </summary>
/// <remarks>
/// <c>--trainers</c> keeps the trainers whose name contains one of the given words (case-insensitive);
/// <c>--held-out</c> runs the large dense sets no default was tuned on (<see cref="HeldOutDenseData"/>) instead of the matrix;
/// <c>--options</c> sets AdaBelief options by name (e.g. <c>WeightDecay=0.001;NumberOfEpochs=5</c>) and <c>--label</c>
/// stores that run as <c>AdaBelief[label]</c>, so variants sit side by side; <c>--report --trainers none</c> prints
/// the tables of the whole file without training (<c>--label</c> picks the AdaBelief row the summary compares);
/// <c>--warmup [W]</c> fits each pipeline W times (once if no W is given), untimed, before the timed fits, so that a Fit
/// time of a second or less measures the training rather than the compilation of its code (the first Fit in a process
/// compiles it, and tiered compilation recompiles the hot methods over the next one or two: ten fits of AdaBelief on
/// the dense multiclass set took 1.70 s, 0.80 s, then 0.22-0.34 s);
/// <c>--runs R</c> repeats the timed fits R times and reports the median time (the metric is the same each time);
/// <c>--interleave</c> times the set's trainers in rounds, one fit of each per round after a full garbage collection,
/// and prints each trainer's time over the first trainer's, the median of the rounds' ratios: on a host whose speed
/// drifts over minutes, fits timed one trainer after another compare different moments of the host.
/// Every trainer runs in a fresh
/// <c>MLContext(seed: 1)</c>; cross-validation uses <c>CrossValidationSplit(data, 5, seed: 1)</c>.
/// </remarks>
internal static class QualityMatrixCommand
{
    private const int Seed = 1;
    private const int Folds = 5;

    public static void Run(string[] args)
    {
        Dictionary<string, string> a = ParseArgs(args);
        string[]? setFilter = a.TryGetValue("sets", out string? s) ? s.Split(',', StringSplitOptions.RemoveEmptyEntries) : null;
        string[]? trainerFilter = a.TryGetValue("trainers", out string? t) ? t.Split(',', StringSplitOptions.RemoveEmptyEntries) : null;
        string options = a.GetValueOrDefault("options", "");
        string adaBelief = a.TryGetValue("label", out string? label) ? $"{MatrixTrainers.AdaBelief}[{label}]" : MatrixTrainers.AdaBelief;
        string resultsPath = a.GetValueOrDefault("results", DefaultResultsPath());
        Action<AdaBeliefTrainerOptionsBase> configure = OptionsSetter(options);
        int warmups = !a.TryGetValue("warmup", out string? w) ? 0 : w.Length == 0 ? 1 : int.Parse(w, CultureInfo.InvariantCulture);
        if (warmups < 0)
            throw new ArgumentException($"--warmup must not be negative, got {warmups}.");
        int runs = a.TryGetValue("runs", out string? r) ? int.Parse(r, CultureInfo.InvariantCulture) : 1;
        if (runs < 1)
            throw new ArgumentException($"--runs must be at least 1, got {runs}.");
        string commit = GitCommit();

        var fresh = new List<MatrixResult>();
        IReadOnlyList<MatrixSet> sets = a.ContainsKey("held-out") ? HeldOutDenseData.All : MatrixDataSets.All;
        foreach (MatrixSet set in sets.Where(x => setFilter is null || setFilter.Contains(x.Name, StringComparer.OrdinalIgnoreCase)))
        {
            MatrixTrainer[] trainers = [.. MatrixTrainers.For(set, adaBelief, configure)
                .Where(x => trainerFilter is null || trainerFilter.Any(f => x.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))];
            if (trainers.Length == 0)
                continue;
            var loadContext = new MLContext(seed: Seed);
            MatrixRows rows = Cached(loadContext, set.Load(loadContext));
            IEnumerable<MatrixResult> results = a.ContainsKey("interleave")
                ? MeasureInRounds(set, rows, trainers, options, commit, warmups, runs)
                : trainers.Select(trainer => Measure(set, rows, trainer, trainer.IsBuiltIn ? "" : options, commit, warmups, runs));
            foreach (MatrixResult result in results)
            {
                fresh.Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{set.Name,-22} {result.Trainer,-46} {set.Metric} {(result.Error is null ? result.Value.ToString("F4", CultureInfo.InvariantCulture) : "failed: " + result.Error)}  Fit {result.FitSeconds:F2} s"));
            }

            // Saved after every set, so a long run that is stopped keeps what it measured.
            MatrixResults.Save(resultsPath, MatrixResults.Merge(MatrixResults.Load(resultsPath), fresh));
        }

        List<MatrixResult> merged = MatrixResults.Merge(MatrixResults.Load(resultsPath), fresh);
        MatrixResults.Save(resultsPath, merged);
        // --report shows every set of the file; otherwise the sets just measured.
        var shownSets = (a.ContainsKey("report") ? merged : fresh).Select(r => r.Set).ToHashSet();
        List<MatrixResult> shown = [.. merged.Where(r => shownSets.Contains(r.Set))];
        Console.WriteLine();
        Console.WriteLine(MatrixResults.Summary(shown, adaBelief));
        Console.WriteLine(MatrixResults.Detail(shown));
        Console.WriteLine($"Results merged into {Path.GetFullPath(resultsPath)}.");
    }

    private static MatrixRows Cached(MLContext ml, MatrixRows rows) =>
        new(ml.Data.Cache(rows.Train), rows.Test is null ? null : ml.Data.Cache(rows.Test));

    private static MatrixResult Measure(MatrixSet set, MatrixRows rows, MatrixTrainer trainer, string options, string commit, int warmups, int runs)
    {
        string now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        try
        {
            WarmUp(set, rows, trainer, warmups);
            var values = new List<double>();
            var repetitionSeconds = new List<double>();
            for (int repetition = 0; repetition < runs; repetition++)
                repetitionSeconds.Add(TimeRepetition(set, rows, trainer, repetition == 0 ? values : null));
            return Result(set, rows, trainer, options, commit, now, values, repetitionSeconds);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            return Failed(set, rows, trainer, options, commit, now, e);
        }
    }

    /// <summary>
    /// <c>--interleave</c>: every trainer warmed up, then <paramref name="runs"/> rounds of one timed repetition of each,
    /// in order, each after a full collection (so no fit pays for the garbage of the one before); prints the median of
    /// the rounds' ratios of each trainer's time to the first trainer's.
    /// </summary>
    private static List<MatrixResult> MeasureInRounds(MatrixSet set, MatrixRows rows, MatrixTrainer[] trainers, string options, string commit, int warmups, int runs)
    {
        string now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var values = trainers.Select(_ => new List<double>()).ToArray();
        var seconds = trainers.Select(_ => new List<double>()).ToArray();
        var failures = new Exception?[trainers.Length];
        for (int t = 0; t < trainers.Length; t++)
            failures[t] = Attempt(() => WarmUp(set, rows, trainers[t], warmups));
        for (int round = 0; round < runs; round++)
        {
            for (int t = 0; t < trainers.Length; t++)
            {
                if (failures[t] is not null)
                    continue;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                failures[t] = Attempt(() => seconds[t].Add(TimeRepetition(set, rows, trainers[t], round == 0 ? values[t] : null)));
            }
        }

        for (int t = 1; t < trainers.Length; t++)
        {
            if (failures[0] is not null || failures[t] is not null)
                continue;
            double[] ratios = [.. seconds[t].Zip(seconds[0], (other, first) => other / first).Order()];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {set.Name}: {trainers[t].Name} / {trainers[0].Name}, median of {runs} rounds {ratios[ratios.Length / 2]:F2}× (rounds {string.Join(", ", seconds[t].Zip(seconds[0], (other, first) => (other / first).ToString("F2", CultureInfo.InvariantCulture)))})"));
        }

        return [.. trainers.Select((trainer, t) => failures[t] is { } failure
            ? Failed(set, rows, trainer, trainer.IsBuiltIn ? "" : options, commit, now, failure)
            : Result(set, rows, trainer, trainer.IsBuiltIn ? "" : options, commit, now, values[t], seconds[t]))];

        static Exception? Attempt(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                return e;
            }
        }
    }

    private static void WarmUp(MatrixSet set, MatrixRows rows, MatrixTrainer trainer, int warmups)
    {
        for (int warmup = 0; warmup < warmups; warmup++)
            Pipeline(new MLContext(seed: Seed), set, trainer).Fit(rows.Train);
    }

    /// <summary>
    /// One timed repetition: the Fit time of every fold (or of the one split), in a fresh context, so that every
    /// repetition draws the same seeds and measures the same models; each fold's metric is added to
    /// <paramref name="values"/> unless it is null.
    /// </summary>
    private static double TimeRepetition(MatrixSet set, MatrixRows rows, MatrixTrainer trainer, List<double>? values)
    {
        var ml = new MLContext(seed: Seed);
        EstimatorChain<ITransformer> pipeline = Pipeline(ml, set, trainer);
        IEnumerable<(IDataView Train, IDataView Test)> splits = rows.Test is { } test
            ? [(rows.Train, test)]
            : ml.Data.CrossValidationSplit(rows.Train, Folds, seed: Seed).Select(f => (f.TrainSet, f.TestSet));
        double seconds = 0;
        foreach ((IDataView train, IDataView testSet) in splits)
        {
            var clock = Stopwatch.StartNew();
            TransformerChain<ITransformer> model = pipeline.Fit(train);
            seconds += clock.Elapsed.TotalSeconds;
            values?.Add(Evaluate(ml, set, model.Transform(testSet)));
        }

        return seconds;
    }

    private static MatrixResult Result(
        MatrixSet set, MatrixRows rows, MatrixTrainer trainer, string options, string commit, string now, List<double> values, List<double> repetitionSeconds)
    {
        repetitionSeconds.Sort();
        double fitSeconds = repetitionSeconds[repetitionSeconds.Count / 2];
        if (repetitionSeconds.Count > 1)
        {
            // On a shared host the median moves with the neighbours' load; the minimum is the code's own speed.
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {set.Name} / {trainer.Name}: {repetitionSeconds.Count} timed fits, min {repetitionSeconds[0]:F3} s, median {fitSeconds:F3} s, max {repetitionSeconds[^1]:F3} s"));
        }

        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new(set.Name, set.Metric, set.Protocol(rows), trainer.Name, trainer.IsBuiltIn, mean, sd, fitSeconds, options, null, commit, now);
    }

    private static MatrixResult Failed(MatrixSet set, MatrixRows rows, MatrixTrainer trainer, string options, string commit, string now, Exception e) =>
        new(set.Name, set.Metric, set.Protocol(rows), trainer.Name, trainer.IsBuiltIn, double.NaN, 0, 0, options, e.Message, commit, now);

    private static EstimatorChain<ITransformer> Pipeline(MLContext ml, MatrixSet set, MatrixTrainer trainer)
    {
        IEstimator<ITransformer> pipeline = set.Featurize(ml);
        if (MatrixTrainers.NormalizerFor(ml, trainer.Normalizer) is { } normalizer)
            pipeline = pipeline.Append(normalizer);
        // A cache checkpoint where the trainer asks for one (TrainerInfo.WantCaching), as ML.NET's guidance and AutoML
        // do: the built-in linear trainers read their input many times; AdaBelief reads it once into its own store.
        IEstimator<ITransformer> estimator = trainer.Create(ml);
        return WantsCaching(estimator) ? pipeline.AppendCacheCheckpoint(ml).Append(estimator) : pipeline.Append(estimator);
    }

    // TrainerInfo lives on the generic ITrainerEstimator<,>; every trainer of the matrix has it (true unless it says otherwise).
    private static bool WantsCaching(IEstimator<ITransformer> estimator) =>
        estimator.GetType().GetProperty("Info")?.GetValue(estimator) is not TrainerInfo info || info.WantCaching;

    /// <summary>The set's metric of scored rows.</summary>
    internal static double Evaluate(MLContext ml, MatrixSet set, IDataView scored) => set.Metric switch
    {
        "RSquared" => ml.Regression.Evaluate(scored).RSquared,
        "AUC" => ml.BinaryClassification.EvaluateNonCalibrated(scored).AreaUnderRocCurve,
        "AUPRC" => ml.BinaryClassification.EvaluateNonCalibrated(scored).AreaUnderPrecisionRecallCurve,
        "MicroAccuracy" => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
        "MacroAccuracy" => ml.MulticlassClassification.Evaluate(scored).MacroAccuracy,
        _ => throw new InvalidOperationException($"Unknown metric {set.Metric}."),
    };

    /// <summary><c>--name value</c> pairs.</summary>
    private static Dictionary<string, string> ParseArgs(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            string name = args[i][2..];
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            result[name] = hasValue ? args[++i] : "";
        }

        return result;
    }

    /// <summary>Sets AdaBelief options by name from <c>Name=value;Name=value</c> (value <c>null</c> for a nullable option).</summary>
    internal static Action<AdaBeliefTrainerOptionsBase> OptionsSetter(string options)
    {
        var assignments = new List<(PropertyInfo Property, object? Value)>();
        foreach (string pair in options.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = pair.Split('=', 2);
            PropertyInfo property = typeof(AdaBeliefTrainerOptionsBase).GetProperty(parts[0])
                ?? throw new ArgumentException($"AdaBelief has no option '{parts[0]}'.");
            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            string text = parts.Length > 1 ? parts[1] : "";
            object? value = text == "null" ? null
                : type.IsEnum ? Enum.Parse(type, text)
                : Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            assignments.Add((property, value));
        }

        return o =>
        {
            foreach ((PropertyInfo property, object? value) in assignments)
                property.SetValue(o, value);
        };
    }

    private static string DefaultResultsPath()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNet.AdaBelief.sln")))
                return Path.Combine(dir.FullName, "test", "MLNet.AdaBelief.Benchmarks", "QualityMatrix", "results.json");
        }

        return "quality-matrix-results.json";
    }

    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            string output = git?.StandardOutput.ReadToEnd().Trim() ?? "";
            git?.WaitForExit();
            return git?.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
