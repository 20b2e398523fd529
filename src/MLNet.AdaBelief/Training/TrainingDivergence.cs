using System.Globalization;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The error for a run that blew up: what went wrong, where, and the change most likely to fix it, chosen from what
/// the data looks like. Training stops at the first sign rather than return weights that are NaN, ∞ or useless.
/// </summary>
internal static class TrainingDivergence
{
    /// <summary>
    /// An epoch's mean training loss above this multiple of the loss at the start means training is running away,
    /// even while every number is still finite: the model is then far worse than the one training started from.
    /// </summary>
    public const double LossGrowthLimit = 1e3;

    /// <summary>
    /// Feature or label magnitudes above this leave float arithmetic too little room: a gradient is a product of a
    /// residual and a feature, its square enters the second moment, and 1e19² already overflows.
    /// </summary>
    public const double FloatSafeMagnitude = 1e15;

    /// <summary>Raw feature magnitudes above this train badly without scaling: the step of their weights is far too large.</summary>
    public const double UnscaledMagnitude = 1e3;

    /// <summary>Whether the epoch's training loss has grown past <see cref="LossGrowthLimit"/> times the loss at the start.</summary>
    public static bool HasRunAway(double epochLoss, double startLoss) =>
        startLoss > 0 && epochLoss > LossGrowthLimit * startLoss;

    /// <summary>Describes a run-away loss for <see cref="Error"/>.</summary>
    public static string DescribeRunAway(double epochLoss, double startLoss) => string.Create(
        CultureInfo.InvariantCulture,
        $"the mean training loss grew to {epochLoss:G4}, more than {LossGrowthLimit:G0} times the loss at the start ({startLoss:G4})");

    /// <summary>Where divergence shows: the epoch loop turns it into <see cref="Error"/> with advice.</summary>
    public static DivergenceFoundException Found(string what, int epoch, double learningRate, Exception? inner = null) =>
        new(what, epoch, learningRate, inner);

    /// <summary>The error, with advice chosen from the largest feature and label magnitudes of <paramref name="rows"/>.</summary>
    /// <param name="what">What was found, as a clause ("the loss of a mini-batch became NaN").</param>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="learningRate">The learning rate at the time.</param>
    /// <param name="rows">The training rows, read once more to find the cause.</param>
    /// <param name="scaleFeatures">Whether the features were standardized.</param>
    /// <param name="inner">The exception that revealed it, or null.</param>
    public static InvalidOperationException Error(string what, int epoch, double learningRate, ITrainingRows rows, bool scaleFeatures, Exception? inner = null)
    {
        Magnitudes magnitudes = Measure(rows);
        return new(
            string.Create(CultureInfo.InvariantCulture, $"Training diverged in epoch {epoch}: {what}. ") + Advice(magnitudes, learningRate, scaleFeatures),
            inner);
    }

    /// <summary>The advice for the cause the magnitudes point to, most specific first.</summary>
    public static string Advice(Magnitudes data, double learningRate, bool scaleFeatures) => FormattableString.Invariant((data, scaleFeatures) switch
    {
        ({ NonFinite: true }, _) =>
            $"Feature {data.LargestFeature} holds NaN or an infinity; replace missing values first (mlContext.Transforms.ReplaceMissingValues) or filter the rows out.",
        ({ LargestFeatureValue: > FloatSafeMagnitude }, _) =>
            $"Feature {data.LargestFeature} reaches {data.LargestFeatureValue:G3}, too large for float arithmetic whatever the learning rate; rescale it before training (mlContext.Transforms.NormalizeMinMax or NormalizeLogMeanVariance).",
        ({ LargestLabelValue: > FloatSafeMagnitude }, _) =>
            $"Labels reach {data.LargestLabelValue:G3}, too large for float arithmetic whatever the learning rate; rescale the label column (divide it by a constant) and scale predictions back.",
        ({ LargestFeatureValue: > UnscaledMagnitude }, false) =>
            $"StandardizeFeatures is off and feature {data.LargestFeature} reaches {data.LargestFeatureValue:G3}; set StandardizeFeatures = true or put a normalizer (mlContext.Transforms.NormalizeMinMax) before the trainer.",
        _ =>
            $"The learning rate {learningRate:G4} is too large for this data: lower LearningRate (try {learningRate / 10:G2}) or set GradientClipNorm.",
    });

    /// <summary>The largest absolute feature and label values of the rows, and whether a feature is not finite.</summary>
    public static Magnitudes Measure(ITrainingRows rows)
    {
        double largestFeatureValue = 0, largestLabelValue = 0;
        int largestFeature = 0;
        bool nonFinite = false;
        foreach (RowBlock block in rows.ReadEpoch(new EpochPlan(0, 0, Shuffle: false, BlockSize: 1 << 14)))
        {
            RowStore store = block.Rows;
            foreach (int row in block.Order.Span)
            {
                largestLabelValue = Math.Max(largestLabelValue, Math.Abs((double)store.Labels[row]));
                ReadOnlySpan<float> values = store.IsSparse ? store.SparseValues(row) : store.DenseRow(row);
                ReadOnlySpan<int> indices = store.IsSparse ? store.SparseIndices(row) : default;
                for (int i = 0; i < values.Length; i++)
                {
                    double magnitude = Math.Abs((double)values[i]);
                    int feature = store.IsSparse ? indices[i] : i;
                    if (!double.IsFinite(magnitude) && !nonFinite)
                    {
                        nonFinite = true;
                        largestFeature = feature;
                    }
                    else if (!nonFinite && magnitude > largestFeatureValue)
                    {
                        largestFeatureValue = magnitude;
                        largestFeature = feature;
                    }
                }
            }
        }

        return new Magnitudes(largestFeature, largestFeatureValue, largestLabelValue, nonFinite);
    }

    /// <summary>What a failed run's data looks like.</summary>
    /// <param name="LargestFeature">The index of the feature with the largest magnitude (or the first non-finite one).</param>
    /// <param name="LargestFeatureValue">Its largest absolute value.</param>
    /// <param name="LargestLabelValue">The largest absolute label.</param>
    /// <param name="NonFinite">Whether a feature value is NaN or infinite.</param>
    public readonly record struct Magnitudes(int LargestFeature, double LargestFeatureValue, double LargestLabelValue, bool NonFinite);
}
