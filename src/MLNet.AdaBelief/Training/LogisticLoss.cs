namespace MLNet.AdaBelief.Training;

/// <summary>
/// Log-loss of p = σ(z) against y in [0, 1]: ℓ = log(1 + eᶻ) − yz, dℓ/dz = σ(z) − y.
/// </summary>
/// <remarks>
/// Written as max(z, 0) − yz + log(1 + e^(−|z|)) and σ from e^(−|z|), so no exponential ever overflows and a
/// confidently wrong score costs |z| rather than ∞; the series for log(1 + e) keeps the precision of a confidently right one.
/// </remarks>
internal readonly struct LogisticLoss : IPointwiseLoss
{
    public bool IsRegression => false;

    public string LabelRule => "logistic loss needs labels in [0, 1] (false/true as 0/1)";

    // The log-odds of the positive rate, kept finite when one class is absent.
    public float InitialBias(double labelMean)
    {
        double rate = Math.Clamp(labelMean, 1e-6, 1 - 1e-6);
        return (float)Math.Log(rate / (1 - rate));
    }

    public bool IsValidLabel(float label) => label >= 0f && label <= 1f;

    public double Evaluate(float score, float label, out float derivative)
    {
        double z = score;
        double e = Math.Exp(-Math.Abs(z));
        double sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        derivative = (float)(sigmoid - label);
        return Math.Max(z, 0) - label * z + LogOnePlus(e);
    }

    // log(1 + e) for e in [0, 1]; .NET's double.LogP1 is log(1 + e) as written, which loses a small e entirely.
    private static double LogOnePlus(double e) => e < 1e-4 ? e * (1 - e * (0.5 - e / 3)) : Math.Log(1 + e);
}
