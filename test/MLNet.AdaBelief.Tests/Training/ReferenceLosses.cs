using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The losses transcribed independently, in double, straight from their definitions: the oracle for the loss values
/// and, by central differences, for the gradients.
/// </summary>
internal static class ReferenceLosses
{
    /// <summary>Σ wᵢℓᵢ / Σ wᵢ for a model of K outputs (weights K × F row-major).</summary>
    public static double MeanLoss(LinearModelLoss loss, TestRows data, double[] weights, double[] biases, double huberDelta = 1)
    {
        int f = data.FeatureCount, k = biases.Length;
        double sum = 0, weightSum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var z = new double[k];
            for (int c = 0; c < k; c++)
            {
                z[c] = biases[c];
                for (int j = 0; j < f; j++)
                    z[c] += weights[c * f + j] * data.Features[i][j];
            }

            double y = data.Labels[i];
            double r = z[0] - y;
            double l = loss switch
            {
                LinearModelLoss.Squared => 0.5 * r * r,
                LinearModelLoss.Huber => Math.Abs(r) <= huberDelta ? 0.5 * r * r : huberDelta * (Math.Abs(r) - 0.5 * huberDelta),
                LinearModelLoss.Logistic => -(y * Math.Log(1 / (1 + Math.Exp(-z[0]))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-z[0])))),
                _ => Math.Log(z.Sum(Math.Exp)) - z[(int)y],
            };
            sum += data.Weights[i] * l;
            weightSum += data.Weights[i];
        }

        return sum / weightSum;
    }

    /// <summary>The gradient of <see cref="MeanLoss"/> by central differences: weights first, then biases.</summary>
    public static double[] NumericGradient(LinearModelLoss loss, TestRows data, double[] weights, double[] biases, double huberDelta = 1)
    {
        const double h = 1e-5;
        double[] parameters = [.. weights, .. biases];
        var gradient = new double[parameters.Length];
        for (int p = 0; p < parameters.Length; p++)
        {
            double[] plus = (double[])parameters.Clone(), minus = (double[])parameters.Clone();
            plus[p] += h;
            minus[p] -= h;
            gradient[p] = (Evaluate(plus) - Evaluate(minus)) / (2 * h);
        }

        return gradient;

        double Evaluate(double[] all) =>
            MeanLoss(loss, data, all[..weights.Length], all[weights.Length..], huberDelta);
    }
}
