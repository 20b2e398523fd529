using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.AdaBelief.Benchmarks.QualityMatrix;
using MLNet.AdaBelief.Trainers.Data;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// <c>-- quick GitHubPhases [--runs N]</c>: the GitHub-issues cross-validation of the quality matrix taken apart. The
/// five folds are featurized once and cached, as the tutorial's pipeline caches them (so the trainers see views of
/// known length); then, on those cached rows, three rounds of reading every fold into a store, one AdaBelief fit a fold
/// with its epochs and training time, and N rounds of the five folds' training by AdaBelief and by SDCA maximum
/// entropy, alternated after one untimed round: the trainers' own share of the matrix's five-fold time.
/// </summary>
internal static class GitHubIssuesPhases
{
    public static void Run(int runs)
    {
        var ml = new MLContext(seed: 1);
        MatrixSet set = MatrixDataSets.All.Single(s => s.Name == "github-issues");
        var folds = new List<IDataView>();
        var featurizing = Stopwatch.StartNew();
        foreach (DataOperationsCatalog.TrainTestData fold in ml.Data.CrossValidationSplit(set.Load(ml).Train, 5, seed: 1))
            folds.Add(ml.Data.Cache(set.Featurize(ml).Fit(fold.TrainSet).Transform(fold.TrainSet), "Label", "Features"));
        Print($"featurizing the five folds (cold, each read once into its cache): {featurizing.Elapsed.TotalSeconds:F2} s");

        for (int pass = 0; pass < 3; pass++)
        {
            var seconds = folds.Select(fold =>
            {
                var clock = Stopwatch.StartNew();
                TrainingColumns columns = TrainingColumns.Resolve(fold.Schema, "Label", "Features", null, LabelKind.Key);
                using (TrainingDataLoader.Load(fold, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes))
                    return clock.Elapsed.TotalSeconds;
            });
            Print($"reading the five folds into stores: {Seconds(seconds.ToList())} s");
        }

        foreach (IDataView fold in folds)
        {
            var trainer = ml.MulticlassClassification.Trainers.AdaBelief();
            var clock = Stopwatch.StartNew();
            trainer.Fit(fold);
            double fit = clock.Elapsed.TotalSeconds;
            IReadOnlyList<TrainingProgress> history = trainer.TrainingHistory;
            Print($"AdaBelief on {fold.Schema["Features"].Type}: Fit {fit:F3} s, {history.Count} epochs, {history[^1].Elapsed.TotalSeconds:F3} s from the statistics pass to the last epoch's end");
        }

        Func<IEstimator<ITransformer>>[] trainers =
        [
            () => ml.MulticlassClassification.Trainers.AdaBelief(),
            () => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
        ];
        var rounds = trainers.Select(_ => new List<double>()).ToArray();
        for (int round = -1; round < runs; round++)
        {
            for (int t = 0; t < trainers.Length; t++)
            {
                var clock = Stopwatch.StartNew();
                foreach (IDataView fold in folds)
                    trainers[t]().Fit(fold);
                if (round >= 0)
                    rounds[t].Add(clock.Elapsed.TotalSeconds);
            }
        }

        Print($"the five folds' Fit, in rounds: AdaBelief {Seconds(rounds[0])} s; SdcaMaximumEntropy {Seconds(rounds[1])} s");
    }

    private static string Seconds(List<double> seconds) => string.Join(", ", seconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)));

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
