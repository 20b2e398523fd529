using System.Numerics.Tensors;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Per-feature scaling x′ⱼ = (xⱼ − μⱼ) / σⱼ (dense) or xⱼ / σⱼ (sparse, no centering so zeros stay zeros), applied
/// to the weights rather than to the data.
/// </summary>
/// <remarks>
/// <para>
/// The optimizer holds the weights w′, b′ of the model on scaled features. For a batch they are turned into the
/// equivalent model on raw features, wⱼ = w′ⱼ / σⱼ and b = b′ − Σⱼ wⱼμⱼ, so that w·x + b = w′·x′ + b′ and the losses
/// run on the raw rows untouched: no scaled copy of the data, sparse rows stay sparse. The raw gradient is mapped
/// back by the chain rule, ∂/∂w′ⱼ = (∂/∂wⱼ − μⱼ ∂/∂b) / σⱼ and ∂/∂b′ = ∂/∂b. Both maps cost O(K·F) per batch,
/// against O(batch·K·F) for the loss. The same map turns the trained w′, b′ into the returned raw weights.
/// </para>
/// <para>
/// The optimizer thus steps in the scaled space, where one learning rate suits every feature and weight decay
/// shrinks w′ⱼ = wⱼσⱼ: a penalty on each feature's effect over its typical spread, not on its raw coefficient.
/// A feature with no spread (constant, or all zero) gets σ = 1; centered it reads 0, so its weight gets no gradient
/// and stays where it started.
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

    /// <param name="mean">μ per feature, or null for no centering.</param>
    /// <param name="spread">σ per feature; zero, tiny against μ, or non-finite becomes 1.</param>
    public FeatureScaling(double[]? mean, double[] spread)
    {
        _scale = new float[spread.Length];
        _inverseScale = new float[spread.Length];
        for (int j = 0; j < spread.Length; j++)
        {
            double center = mean is null ? 0 : Math.Abs(mean[j]);
            bool resolvable = spread[j] > 1e-6 * center && double.IsFinite(spread[j]) && (float)spread[j] > 0f && float.IsFinite(1f / (float)spread[j]);
            _scale[j] = resolvable ? (float)spread[j] : 1f;
            _inverseScale[j] = 1f / _scale[j];
        }

        _mean = mean is null ? null : Array.ConvertAll(mean, m => (float)m);
    }

    /// <summary>The number of features.</summary>
    public int FeatureCount => _scale.Length;

    /// <summary>σ per feature, after replacing zero spreads by 1.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>μ per feature, or empty without centering.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Scales one raw row: what the model w′, b′ sees.</summary>
    public void ScaleRow(ReadOnlySpan<float> raw, Span<float> scaled)
    {
        if (_mean is null)
        {
            TensorPrimitives.Multiply(raw, _inverseScale, scaled);
            return;
        }

        TensorPrimitives.Subtract(raw, _mean, scaled);
        TensorPrimitives.Multiply(scaled, _inverseScale, scaled);
    }

    /// <summary>The raw-space model equal to the scaled-space one: wⱼ = w′ⱼ/σⱼ, b = b′ − Σ wⱼμⱼ, per output.</summary>
    public void ToRaw(ReadOnlySpan<float> scaledWeights, ReadOnlySpan<float> scaledBiases, Span<float> rawWeights, Span<float> rawBiases)
    {
        int features = FeatureCount;
        for (int k = 0; k < scaledBiases.Length; k++)
        {
            Span<float> raw = rawWeights.Slice(k * features, features);
            TensorPrimitives.Multiply(scaledWeights.Slice(k * features, features), _inverseScale, raw);
            rawBiases[k] = _mean is null ? scaledBiases[k] : scaledBiases[k] - TensorPrimitives.Dot(raw, _mean);
        }
    }

    /// <summary>The scaled-space model equal to a raw-space one (for warm start): w′ⱼ = wⱼσⱼ, b′ = b + Σ wⱼμⱼ.</summary>
    public void FromRaw(ReadOnlySpan<float> rawWeights, ReadOnlySpan<float> rawBiases, Span<float> scaledWeights, Span<float> scaledBiases)
    {
        int features = FeatureCount;
        for (int k = 0; k < rawBiases.Length; k++)
        {
            ReadOnlySpan<float> raw = rawWeights.Slice(k * features, features);
            TensorPrimitives.Multiply(raw, _scale, scaledWeights.Slice(k * features, features));
            scaledBiases[k] = _mean is null ? rawBiases[k] : rawBiases[k] + TensorPrimitives.Dot(raw, _mean);
        }
    }

    /// <summary>Turns a gradient with respect to the raw weights into one with respect to the scaled weights, in place.</summary>
    public void GradientToScaled(Span<float> weightGradient, ReadOnlySpan<float> biasGradient)
    {
        int features = FeatureCount;
        for (int k = 0; k < biasGradient.Length; k++)
        {
            Span<float> gradient = weightGradient.Slice(k * features, features);
            if (_mean is not null)
                TensorPrimitives.MultiplyAdd(_mean, -biasGradient[k], gradient, gradient);
            TensorPrimitives.Multiply(gradient, _inverseScale, gradient);
        }
    }
}
