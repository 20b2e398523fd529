namespace MLNet.AdaBelief.Training;

/// <summary>How sparse features are scaled (never centered, so zeros stay zeros).</summary>
internal enum SparseFeatureScaling
{
    /// <summary>
    /// xⱼ / max(1, maxᵢ |xᵢⱼ|): only a feature whose values leave [−1, 1] is shrunk into it. One-hot indicators and
    /// L2-normalized text vectors stay exactly as they are, so a token keeps the weight its featurizer gave it, and a
    /// numeric column concatenated into the vector (an age, a price) is brought to [−1, 1]. Nothing is magnified: a
    /// feature that is small everywhere trains as small as it is.
    /// </summary>
    MaxAbsAboveOne,

    /// <summary>
    /// xⱼ / maxᵢ |xᵢⱼ|: as <see cref="MaxAbsAboveOne"/>, but a feature whose values are all small is magnified to reach
    /// 1. On L2-normalized text that magnifies a rare token (its largest value is its only value) over a common one
    /// (whose largest value comes from the shortest text it occurs in). Kept for comparison.
    /// </summary>
    MaxAbs,

    /// <summary>
    /// xⱼ / √(mean of xⱼ²) over all rows: a token seen with frequency p is multiplied by about 1/√p, so rare tokens are
    /// amplified. Kept for comparison.
    /// </summary>
    RootMeanSquare,
}
