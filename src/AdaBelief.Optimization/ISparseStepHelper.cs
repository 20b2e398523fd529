using AdaBelief.Optimization.Kernels;

namespace AdaBelief.Optimization;

/// <summary>
/// Another core that can take part in a large lazy step: a trainer whose own thread on that core waits between its
/// jobs offers it here, instead of the step waking a thread-pool thread to compete with it for the core.
/// </summary>
internal interface ISparseStepHelper
{
    /// <summary>
    /// Offers a step's chunks; the helper calls <see cref="SparseStepChunks.RunChunks"/> when it is free, or never. The
    /// stepping thread runs chunks meanwhile and waits only for those a helper has claimed.
    /// </summary>
    void Offer(SparseStepChunks chunks);
}
