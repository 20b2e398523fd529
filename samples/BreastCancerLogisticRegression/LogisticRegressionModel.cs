namespace BreastCancerLogisticRegression;

/// <summary>p(y = 1 | x) = sigmoid(w·x + b), with the mean log-loss and its gradient.</summary>
internal sealed class LogisticRegressionModel
{
    public LogisticRegressionModel(int featureCount)
    {
        Weights = new float[featureCount];
        Bias = new float[1];
    }

    public float[] Weights { get; }

    /// <summary>A one-element tensor, so the optimizer can update it as its own tensor.</summary>
    public float[] Bias { get; }

    public double Logit(ReadOnlySpan<float> features)
    {
        double z = Bias[0];
        for (var j = 0; j < features.Length; j++)
        {
            z += (double)Weights[j] * features[j];
        }

        return z;
    }

    public double PredictProbability(ReadOnlySpan<float> features) => Sigmoid(Logit(features));

    /// <summary>Mean log-loss over all rows of <paramref name="data"/>.</summary>
    public double Loss(Dataset data)
    {
        var total = 0.0;
        for (var i = 0; i < data.RowCount; i++)
        {
            total += LogLoss(Logit(data.Row(i)), data.Labels[i]);
        }

        return total / data.RowCount;
    }

    /// <summary>
    /// Mean log-loss over the rows <paramref name="batch"/> of <paramref name="data"/>; writes its gradient with respect
    /// to the weights into <paramref name="weightGradient"/> and with respect to the bias into <paramref name="biasGradient"/>.
    /// </summary>
    public double LossAndGradient(Dataset data, ReadOnlySpan<int> batch, Span<float> weightGradient, Span<float> biasGradient)
    {
        var d = Weights.Length;
        Span<double> gw = stackalloc double[d];
        gw.Clear();
        var gb = 0.0;
        var loss = 0.0;

        foreach (var i in batch)
        {
            var x = data.Row(i);
            var y = data.Labels[i];
            var z = Logit(x);
            loss += LogLoss(z, y);
            var residual = Sigmoid(z) - y; // d loss / d z
            for (var j = 0; j < d; j++)
            {
                gw[j] += residual * x[j];
            }

            gb += residual;
        }

        var inverseCount = 1.0 / batch.Length;
        for (var j = 0; j < d; j++)
        {
            weightGradient[j] = (float)(gw[j] * inverseCount);
        }

        biasGradient[0] = (float)(gb * inverseCount);
        return loss * inverseCount;
    }

    public static double Sigmoid(double z) =>
        z >= 0 ? 1.0 / (1.0 + Math.Exp(-z)) : Math.Exp(z) / (1.0 + Math.Exp(z));

    /// <summary>-[y log p + (1 - y) log(1 - p)] with p = sigmoid(z), computed without overflow.</summary>
    public static double LogLoss(double z, double y) =>
        Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
}
