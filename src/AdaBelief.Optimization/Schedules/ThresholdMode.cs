namespace AdaBelief.Optimization;

/// <summary>How <see cref="ReduceLROnPlateau"/> measures a significant improvement (PyTorch's <c>threshold_mode</c>).</summary>
public enum ThresholdMode
{
    /// <summary>
    /// Relative to the best metric: better means below best · (1 − threshold) in min mode, above best · (1 + threshold)
    /// in max mode (PyTorch's <c>"rel"</c>).
    /// </summary>
    Relative = 0,

    /// <summary>
    /// By a fixed amount: better means below best − threshold in min mode, above best + threshold in max mode
    /// (PyTorch's <c>"abs"</c>).
    /// </summary>
    Absolute = 1,
}
