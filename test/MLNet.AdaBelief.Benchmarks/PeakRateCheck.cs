using System.Globalization;
using AdaBelief.Optimization;
using Microsoft.ML;
using MLNet.AdaBelief.Benchmarks.QualityMatrix;

namespace MLNet.AdaBelief.Benchmarks;

/// <summary>
/// <c>-- peak-rate [--rows N,N] [--sets a,b]</c>: the peak rate of many epochs (see
/// <see cref="AdaBeliefTrainerDefaults.PeakRateEpochs"/>) on small samples of the quality matrix's larger sets, which
/// the rule was not chosen on: each sample cross-validated (5 folds, seed 1) with the defaults and with the rate as
/// given (the same linear shape, set explicitly), and the two metrics printed side by side.
/// </summary>
internal static class PeakRateCheck
{
    private static readonly string[] DefaultSets = ["adult", "taxi-fare", "sms-spam", "optdigits", "bike-sharing"];

    public static void Run(string[] args)
    {
        int[] sizes = [1000, 3000];
        string[] sets = DefaultSets;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": sizes = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--sets": sets = args[++i].Split(','); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'; expected --rows N,N or --sets a,b.");
            }
        }

        Console.WriteLine($"{"set",-14} {"rows",6} {"metric",-14} {"defaults",9} {"rate as given",14} {"difference",11}");
        foreach (string name in sets)
        {
            MatrixSet set = MatrixDataSets.All.Single(s => s.Name == name);
            foreach (int rows in sizes)
            {
                double withRule = Score(set, rows, givenRate: false), without = Score(set, rows, givenRate: true);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name,-14} {rows,6} {set.Metric,-14} {withRule,9:F4} {without,14:F4} {withRule - without,11:+0.0000;-0.0000;0.0000}"));
            }
        }
    }

    /// <summary>The set's training rows, featurized, shuffled, the first <paramref name="rows"/> of them cross-validated.</summary>
    private static double Score(MatrixSet set, int rows, bool givenRate)
    {
        var ml = new MLContext(seed: 1);
        IDataView train = set.Load(ml).Train;
        IDataView featurized = set.Featurize(ml).Fit(train).Transform(train);
        IDataView sample = ml.Data.Cache(ml.Data.TakeRows(ml.Data.ShuffleRows(ml.Data.Cache(featurized), seed: 3), rows));
        IEnumerable<IDataView> scoredFolds = set.Task switch
        {
            MatrixTask.Regression => ml.Regression.CrossValidate(sample, ml.Regression.Trainers.AdaBelief(Options(new AdaBeliefRegressionTrainer.Options(), givenRate)), 5, seed: 1)
                .Select(f => f.ScoredHoldOutSet),
            MatrixTask.Binary => ml.BinaryClassification.CrossValidateNonCalibrated(sample, ml.BinaryClassification.Trainers.AdaBelief(Options(new AdaBeliefBinaryTrainer.Options(), givenRate)), 5, seed: 1)
                .Select(f => f.ScoredHoldOutSet),
            _ => ml.MulticlassClassification.CrossValidate(sample, ml.MulticlassClassification.Trainers.AdaBelief(Options(new AdaBeliefMulticlassTrainer.Options(), givenRate)), 5, seed: 1)
                .Select(f => f.ScoredHoldOutSet),
        };
        return scoredFolds.Average(scored => QualityMatrixCommand.Evaluate(ml, set, scored));
    }

    /// <summary>The defaults; with <paramref name="givenRate"/>, the default shape and rate set explicitly, which the trainer does not raise.</summary>
    private static T Options<T>(T options, bool givenRate)
        where T : AdaBeliefTrainerOptionsBase
    {
        options.Seed = 1;
        if (givenRate)
            options.ScheduleShape = ScheduleShape.Linear(AdaBeliefTrainerDefaults.LearningRate);
        return options;
    }
}
