namespace MLNet.AdaBelief.Training;

/// <summary>How sparse features are scaled (never centered, so zeros stay zeros).</summary>
internal enum SparseFeatureScaling
{
    /// <summary>
    /// xⱼ / maxᵢ |xᵢⱼ|: one-hot indicators, counts already in [0, 1] and L2-normalized text vectors stay about as they
    /// are, and a numeric column concatenated into the vector is brought to [−1, 1]. A rare token keeps the weight of
    /// a common one.
    /// </summary>
    MaxAbs,

    /// <summary>
    /// xⱼ / √(mean of xⱼ²) over all rows: a token seen with frequency p is multiplied by about 1/√p, so rare tokens are
    /// amplified. Kept for comparison.
    /// </summary>
    RootMeanSquare,
}
