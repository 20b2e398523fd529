namespace BreastCancerLogisticRegression;

/// <summary>Test-set metrics of a binary classifier.</summary>
internal sealed record BinaryMetrics(double Accuracy, double LogLoss, double Auc)
{
    public static BinaryMetrics Evaluate(LogisticRegressionModel model, Dataset data)
    {
        var scores = new double[data.RowCount];
        var correct = 0;
        for (var i = 0; i < data.RowCount; i++)
        {
            scores[i] = model.PredictProbability(data.Row(i));
            if ((scores[i] >= 0.5 ? 1f : 0f) == data.Labels[i])
            {
                correct++;
            }
        }

        return new BinaryMetrics((double)correct / data.RowCount, model.Loss(data), AreaUnderRocCurve(scores, data.Labels));
    }

    /// <summary>
    /// AUC as the Mann-Whitney statistic: the probability that a random positive scores above a random negative, ties
    /// counting one half (tied scores share their average rank). NaN when one class is absent.
    /// </summary>
    public static double AreaUnderRocCurve(IReadOnlyList<double> scores, IReadOnlyList<float> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var averageRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] == 1f)
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = order.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
