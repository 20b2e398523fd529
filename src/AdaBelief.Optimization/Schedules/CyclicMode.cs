namespace AdaBelief.Optimization;

/// <summary>How <see cref="CyclicLR"/> scales the amplitude of its cycles (PyTorch's <c>mode</c>).</summary>
public enum CyclicMode
{
    /// <summary>Every cycle has the full amplitude (PyTorch's <c>"triangular"</c>).</summary>
    Triangular = 0,

    /// <summary>The amplitude halves each cycle (PyTorch's <c>"triangular2"</c>).</summary>
    Triangular2 = 1,

    /// <summary>The amplitude is scaled by γᵗ, t the count (PyTorch's <c>"exp_range"</c>).</summary>
    ExpRange = 2,
}
