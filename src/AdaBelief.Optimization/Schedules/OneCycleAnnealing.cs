namespace AdaBelief.Optimization;

/// <summary>How <see cref="OneCycleLR"/> moves between two rates within a phase (PyTorch's <c>anneal_strategy</c>).</summary>
public enum OneCycleAnnealing
{
    /// <summary>Along half a cosine wave: end + (start − end) / 2 · (cos(π · p) + 1), p the fraction of the phase done.</summary>
    Cosine = 0,

    /// <summary>Along a straight line: (end − start) · p + start, p the fraction of the phase done.</summary>
    Linear = 1,
}
