namespace MLNet.AdaBelief.Training;

/// <summary>The loss a linear model is trained to minimise; it also fixes what the labels mean.</summary>
/// <remarks>
/// With z = w·x + b the model's score and y the label, the per-row losses are (the batch loss is Σ wᵢℓᵢ / Σ wᵢ over
/// the example weights wᵢ):
/// <list type="bullet">
/// <item><see cref="Squared"/>: ℓ = ½(z − y)². Half the squared error, so that its derivative is the residual z − y
/// and <see cref="Huber"/> with a large δ equals it; the reported losses are half the mean squared error.</item>
/// <item><see cref="Huber"/>: ℓ = ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond, with r = z − y.</item>
/// <item><see cref="Logistic"/>: ℓ = log(1 + eᶻ) − yz, the log-loss of p = σ(z), for y in [0, 1] (0/1 labels, or soft ones).</item>
/// <item><see cref="SoftmaxCrossEntropy"/>: ℓ = log Σₖ e^(zₖ) − z_y over K scores zₖ = wₖ·x + bₖ, for a class index y in 0..K−1.</item>
/// </list>
/// </remarks>
internal enum LinearModelLoss
{
    /// <summary>Regression: half the squared error.</summary>
    Squared,

    /// <summary>Regression robust to outliers: quadratic within δ of the label, linear beyond.</summary>
    Huber,

    /// <summary>Binary classification: log-loss of the sigmoid of the score.</summary>
    Logistic,

    /// <summary>Multiclass classification: cross-entropy of the softmax of K scores.</summary>
    SoftmaxCrossEntropy,
}
