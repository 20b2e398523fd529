namespace AdaBelief.Optimization;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> watches a metric that should fall or rise (PyTorch's <c>mode</c>).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better, such as a loss (PyTorch's <c>"min"</c>).</summary>
    Min = 0,

    /// <summary>Higher is better, such as an accuracy (PyTorch's <c>"max"</c>).</summary>
    Max = 1,
}
