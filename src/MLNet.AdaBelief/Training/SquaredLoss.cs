namespace MLNet.AdaBelief.Training;

/// <summary>ℓ = ½(z − y)², dℓ/dz = z − y: regression; the residual is the derivative.</summary>
internal readonly struct SquaredLoss : IPointwiseLoss
{
    public bool IsRegression => true;

    public string LabelRule => "regression labels must be finite";

    public float InitialBias(double labelMean) => (float)labelMean; // the mean minimises the squared error

    public bool IsValidLabel(float label) => true; // the store admits finite labels only

    public double Evaluate(float score, float label, out float derivative)
    {
        float residual = score - label;
        derivative = residual;
        return 0.5 * residual * (double)residual; // in double: a float square overflows from |r| ≈ 1.8e19
    }
}
