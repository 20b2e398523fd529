using Microsoft.ML;

namespace MLNet.AdaBelief.Benchmarks.QualityMatrix;

/// <summary>A normalizer put in front of a built-in trainer, as a user would.</summary>
internal enum MatrixNormalizer
{
    None,
    MinMax,
    MeanVariance,
}

/// <summary>One trainer of the matrix, with the normalizer in front of it.</summary>
/// <param name="Name">The trainer as its catalog names it, plus the normalizer for a built-in: <c>Sdca (MinMax)</c>.</param>
/// <param name="IsBuiltIn">False for AdaBelief, which trains on raw features with its defaults.</param>
/// <param name="Normalizer">The normalizer in front of the trainer.</param>
/// <param name="Create">Builds the trainer in a context.</param>
internal sealed record MatrixTrainer(string Name, bool IsBuiltIn, MatrixNormalizer Normalizer, Func<MLContext, IEstimator<ITransformer>> Create);

/// <summary>
/// The trainers of each task: AdaBelief with its defaults (or with options from the command line), and ML.NET's
/// built-in linear trainers with their defaults, each behind MinMax and behind mean-variance normalization where the
/// set's features are numeric, and with no normalizer on text.
/// </summary>
internal static class MatrixTrainers
{
    /// <summary>The name of AdaBelief's row; a tuning run may add a suffix (<c>AdaBelief[label]</c>).</summary>
    public const string AdaBelief = "AdaBelief";

    public static IReadOnlyList<MatrixTrainer> For(MatrixSet set, string adaBeliefName, Action<AdaBeliefTrainerOptionsBase> configure)
    {
        List<MatrixTrainer> trainers = [new(adaBeliefName, false, MatrixNormalizer.None, ml => AdaBeliefFor(ml, set.Task, configure))];
        MatrixNormalizer[] normalizers = set.NeedsNormalizer ? [MatrixNormalizer.MinMax, MatrixNormalizer.MeanVariance] : [MatrixNormalizer.None];
        foreach (MatrixNormalizer normalizer in normalizers)
        {
            foreach ((string name, Func<MLContext, IEstimator<ITransformer>> create) in BuiltIns(set.Task))
                trainers.Add(new(normalizer == MatrixNormalizer.None ? name : $"{name} ({normalizer})", true, normalizer, create));
        }

        return trainers;
    }

    private static IEnumerable<(string Name, Func<MLContext, IEstimator<ITransformer>> Create)> BuiltIns(MatrixTask task) => task switch
    {
        // No least-squares L-BFGS in Microsoft.ML's standard trainers (Ols needs the MKL package, and
        // LbfgsPoissonRegression fits a different loss), so regression has two built-ins.
        MatrixTask.Regression =>
        [
            ("Sdca", ml => ml.Regression.Trainers.Sdca()),
            ("OnlineGradientDescent", ml => ml.Regression.Trainers.OnlineGradientDescent()),
        ],
        MatrixTask.Binary =>
        [
            ("SdcaLogisticRegression", ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression()),
            ("LbfgsLogisticRegression", ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression()),
            ("AveragedPerceptron", ml => ml.BinaryClassification.Trainers.AveragedPerceptron()),
        ],
        _ =>
        [
            ("SdcaMaximumEntropy", ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            ("LbfgsMaximumEntropy", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            ("OneVersusAll(AveragedPerceptron)", ml => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.AveragedPerceptron())),
        ],
    };

    private static IEstimator<ITransformer> AdaBeliefFor(MLContext ml, MatrixTask task, Action<AdaBeliefTrainerOptionsBase> configure)
    {
        switch (task)
        {
            case MatrixTask.Regression:
                var r = new AdaBeliefRegressionTrainer.Options();
                configure(r);
                return ml.Regression.Trainers.AdaBelief(r);
            case MatrixTask.Binary:
                var b = new AdaBeliefBinaryTrainer.Options();
                configure(b);
                return ml.BinaryClassification.Trainers.AdaBelief(b);
            default:
                var m = new AdaBeliefMulticlassTrainer.Options();
                configure(m);
                return ml.MulticlassClassification.Trainers.AdaBelief(m);
        }
    }

    /// <summary>The normalizer's estimator on <c>Features</c>, or null for none.</summary>
    public static IEstimator<ITransformer>? NormalizerFor(MLContext ml, MatrixNormalizer normalizer) => normalizer switch
    {
        MatrixNormalizer.MinMax => ml.Transforms.NormalizeMinMax("Features"),
        MatrixNormalizer.MeanVariance => ml.Transforms.NormalizeMeanVariance("Features"),
        _ => null,
    };
}
