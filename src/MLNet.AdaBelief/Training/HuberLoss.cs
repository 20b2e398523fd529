namespace MLNet.AdaBelief.Training;

/// <summary>
/// ℓ = ½r² for |r| ≤ δ and δ(|r| − ½δ) beyond, r = z − y; dℓ/dz = r clamped to [−δ, δ]. Squared near the label,
/// absolute far from it, so an outlier pulls on the weights with a bounded force.
/// </summary>
internal readonly struct HuberLoss : IPointwiseLoss
{
    private readonly float _delta;

    /// <param name="delta">δ, where the loss turns from quadratic to linear; finite and positive.</param>
    public HuberLoss(float delta)
    {
        if (!(delta > 0f) || float.IsInfinity(delta))
            throw ArgumentChecks.OutOfRange(nameof(delta), delta, "must be finite and positive");
        _delta = delta;
    }

    public bool IsRegression => true;

    public string LabelRule => "regression labels must be finite";

    public float InitialBias(double labelMean) => (float)labelMean; // the median would be exact; the mean is close and needs no second pass

    public bool IsValidLabel(float label) => true;

    public double Evaluate(float score, float label, out float derivative)
    {
        float residual = score - label;
        double absolute = Math.Abs((double)residual);
        if (absolute <= _delta)
        {
            derivative = residual;
            return 0.5 * absolute * absolute;
        }

        derivative = residual > 0 ? _delta : -_delta;
        return _delta * (absolute - 0.5 * _delta);
    }
}
