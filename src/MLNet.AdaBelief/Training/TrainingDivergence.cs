using System.Globalization;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The error for a run that blew up: what became non-finite, where, and what to change. Training stops at the first
/// sign rather than return weights that are NaN or ∞.
/// </summary>
internal static class TrainingDivergence
{
    public static InvalidOperationException Error(string what, int epoch, double learningRate, Exception? inner = null) =>
        new(string.Create(
                CultureInfo.InvariantCulture,
                $"Training diverged in epoch {epoch}: {what}. The learning rate {learningRate:G4} is too large for this data: " +
                $"lower the learning rate, set GradientClipNorm, or keep feature scaling on."),
            inner);
}
