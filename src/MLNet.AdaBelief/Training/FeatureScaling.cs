using System.Numerics.Tensors;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Per-feature scaling x′ⱼ = (xⱼ − μⱼ) / σⱼ (dense) or xⱼ / σⱼ (sparse, no centering so zeros stay zeros), and for
/// regression the label's y′ = (y − c) / σᵧ, applied to the weights rather than to the data. σⱼ is whatever divisor
/// the trainer chose (by default a dense feature's largest distance from its mean, and a sparse feature's largest
/// magnitude where it exceeds 1: see <see cref="LinearTrainerSettings.DenseScaleBound"/> and
/// <see cref="SparseFeatureScaling"/>).
/// </summary>
/// <remarks>
/// <para>
/// The optimizer holds the weights w′, b′ of the model that predicts y′ from x′. For a batch they are turned into the
/// equivalent model on raw features and labels, wⱼ = σᵧw′ⱼ / σⱼ and b = σᵧb′ + c − Σⱼ wⱼμⱼ, so that
/// w·x + b = σᵧ(w′·x′ + b′) + c and the losses run on the raw rows and labels untouched: no scaled copy of the data,
/// sparse rows stay sparse, reported losses stay in label units. c is the starting bias, so training starts from
/// b′ = 0. The training loss in the scaled space is ℓ(z, y)/σᵧ²
/// (for squared error exactly ½(z′ − y′)², and Huber's δ becomes δ/σᵧ), so the raw gradient is mapped back by the chain
/// rule, ∂/∂w′ⱼ = (∂/∂wⱼ − μⱼ ∂/∂b) / (σⱼσᵧ) and ∂/∂b′ = (∂/∂b) / σᵧ. Both maps cost O(K·F) per batch, against
/// O(batch·K·F) for the loss of dense rows; the sparse path applies the factors to each nonzero on the fly instead
/// (<see cref="SparseBatchUpdater"/>). The same map turns the trained w′, b′ into the returned raw weights.
/// </para>
/// <para>
/// The optimizer thus steps in the scaled space, where one learning rate suits every feature and any label scale, and
/// weight decay shrinks w′ⱼ = wⱼσⱼ/σᵧ: a penalty on each feature's effect over its typical spread, in units of the
/// label's spread, not on its raw coefficient. A feature with no spread (constant, or all zero) gets σ = 1; centered it
/// reads 0, so its weight gets no gradient and stays where it started. Labels that do not vary get σᵧ = 1.
/// </para>
/// <para>
/// Folding costs precision only where a feature's mean is far larger than its spread (|μ|/σ ≳ 10³): then w·x and b
/// nearly cancel in float. Such a feature is better centered before training.
/// </para>
/// </remarks>
internal sealed class FeatureScaling
{
    private readonly float[]? _mean;
    private readonly float[] _scale;
    private readonly float[] _inverseScale;
    private readonly float[] _rawFactor;
    private readonly float[] _scaledFactor;
    private readonly float[] _gradientFactor;
    private readonly float _labelCenter;
    private readonly float _labelScale;

    /// <param name="mean">μ per feature, or null for no centering.</param>
    /// <param name="spread">σ per feature; zero, tiny against μ, or non-finite becomes 1.</param>
    public FeatureScaling(double[]? mean, double[] spread)
        : this(mean, spread, spread.Length, labelCenter: 0, labelSpread: 1)
    {
    }

    /// <param name="mean">μ per feature, or null for no centering.</param>
    /// <param name="spread">σ per feature, or null to leave the features unscaled; zero, tiny against μ, or non-finite becomes 1.</param>
    /// <param name="featureCount">The number of features.</param>
    /// <param name="labelCenter">c, subtracted from the labels (0 to leave them uncentered).</param>
    /// <param name="labelSpread">σᵧ, dividing the labels; zero or non-finite becomes 1.</param>
    public FeatureScaling(double[]? mean, double[]? spread, int featureCount, double labelCenter, double labelSpread)
    {
        _scale = new float[featureCount];
        _inverseScale = new float[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            double s = spread is null ? 1 : spread[j];
            double center = mean is null ? 0 : Math.Abs(mean[j]);
            _scale[j] = Resolvable(s, center) ? (float)s : 1f;
            _inverseScale[j] = 1f / _scale[j];
        }

        _mean = mean is null ? null : Array.ConvertAll(mean, m => (float)m);
        _labelScale = Resolvable(labelSpread, 0) ? (float)labelSpread : 1f;
        _labelCenter = (float)labelCenter;

        // With σᵧ = 1 each factor is exactly the feature's own (1/σⱼ or σⱼ), so classification keeps its bits.
        _rawFactor = new float[featureCount];
        _scaledFactor = new float[featureCount];
        _gradientFactor = new float[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            _rawFactor[j] = _labelScale * _inverseScale[j];
            _scaledFactor[j] = _scale[j] / _labelScale;
            _gradientFactor[j] = _inverseScale[j] / _labelScale;
        }
    }

    /// <summary>The number of features.</summary>
    public int FeatureCount => _scale.Length;

    /// <summary>μ per feature, or empty without centering.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>σᵧ/σⱼ per feature: raw weight per scaled weight.</summary>
    public ReadOnlySpan<float> RawFactor => _rawFactor;

    /// <summary>1/(σⱼσᵧ) per feature: scaled-space gradient per raw-space gradient.</summary>
    public ReadOnlySpan<float> GradientFactor => _gradientFactor;

    /// <summary>c, the label's center (0 unless a regression label is standardized).</summary>
    public float LabelCenter => _labelCenter;

    /// <summary>σᵧ, the label's scale (1 unless a regression label is standardized).</summary>
    public float LabelScale => _labelScale;

    /// <summary>The raw-space model equal to the scaled-space one: wⱼ = σᵧw′ⱼ/σⱼ, b = σᵧb′ + c − Σ wⱼμⱼ, per output (K × F, row-major).</summary>
    public void ToRaw(ReadOnlySpan<float> scaledWeights, ReadOnlySpan<float> scaledBiases, Span<float> rawWeights, Span<float> rawBiases)
    {
        int features = FeatureCount;
        for (int k = 0; k < scaledBiases.Length; k++)
        {
            Span<float> raw = rawWeights.Slice(k * features, features);
            TensorPrimitives.Multiply(scaledWeights.Slice(k * features, features), _rawFactor, raw);
            float bias = RawBias(scaledBiases[k]);
            rawBiases[k] = _mean is null ? bias : bias - TensorPrimitives.Dot(raw, _mean);
        }
    }

    /// <summary>The scaled-space model equal to a raw-space one (for warm start): w′ⱼ = wⱼσⱼ/σᵧ, b′ = (b + Σ wⱼμⱼ − c)/σᵧ.</summary>
    public void FromRaw(ReadOnlySpan<float> rawWeights, ReadOnlySpan<float> rawBiases, Span<float> scaledWeights, Span<float> scaledBiases)
    {
        int features = FeatureCount;
        for (int k = 0; k < rawBiases.Length; k++)
        {
            ReadOnlySpan<float> raw = rawWeights.Slice(k * features, features);
            TensorPrimitives.Multiply(raw, _scaledFactor, scaledWeights.Slice(k * features, features));
            float bias = _mean is null ? rawBiases[k] : rawBiases[k] + TensorPrimitives.Dot(raw, _mean);
            scaledBiases[k] = ScaledBias(bias);
        }
    }

    /// <summary>Turns a gradient with respect to the raw weights into one with respect to the scaled weights, in place.</summary>
    public void GradientToScaled(Span<float> weightGradient, Span<float> biasGradient)
    {
        int features = FeatureCount;
        for (int k = 0; k < biasGradient.Length; k++)
        {
            Span<float> gradient = weightGradient.Slice(k * features, features);
            if (_mean is not null)
                TensorPrimitives.MultiplyAdd(_mean, -biasGradient[k], gradient, gradient);
            TensorPrimitives.Multiply(gradient, _gradientFactor, gradient);
            biasGradient[k] = BiasGradientToScaled(biasGradient[k]);
        }
    }

    /// <summary>σᵧb′ + c: a scaled-space bias (or score) in label units, before the centering of the features.</summary>
    public float RawBias(float scaledBias) => _labelScale == 1f && _labelCenter == 0f ? scaledBias : (_labelScale * scaledBias) + _labelCenter;

    /// <summary>(b − c)/σᵧ: the inverse of <see cref="RawBias"/>.</summary>
    public float ScaledBias(float rawBias) => _labelScale == 1f && _labelCenter == 0f ? rawBias : (rawBias - _labelCenter) / _labelScale;

    /// <summary>∂/∂b′ = (∂/∂b)/σᵧ.</summary>
    public float BiasGradientToScaled(float rawGradient) => _labelScale == 1f ? rawGradient : rawGradient / _labelScale;

    // A spread that divides to a finite float and is not lost against the feature's mean.
    private static bool Resolvable(double spread, double center) =>
        spread > 1e-6 * center && double.IsFinite(spread) && (float)spread > 0f && float.IsFinite(1f / (float)spread);
}
