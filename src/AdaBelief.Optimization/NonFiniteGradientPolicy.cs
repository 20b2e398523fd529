namespace AdaBelief.Optimization;

/// <summary>What <see cref="AdaBeliefOptimizer.Step(Span{float}, ReadOnlySpan{float})"/> does with a gradient that holds NaN or ±∞.</summary>
public enum NonFiniteGradientPolicy
{
    /// <summary>
    /// Throw a <see cref="NonFiniteGradientException"/> naming the first bad element. No non-finite value ever reaches
    /// the parameters or the optimizer state. Without gradient-norm clipping the check is fused into the update pass,
    /// so the elements whose gradients are finite have been updated when the exception is thrown, and the elements whose
    /// gradients are not finite are left as they were; with <see cref="AdaBeliefOptions.GradientClipNorm"/> set the
    /// check happens in the norm pass, before anything is changed.
    /// </summary>
    Throw = 0,

    /// <summary>
    /// Skip the whole step, leaving parameters, state and counters untouched, and count it in
    /// <see cref="AdaBeliefOptimizer.SkippedStepCount"/>. Costs one extra read of the gradients per step, unless
    /// gradient-norm clipping already reads them.
    /// </summary>
    SkipStep = 1,
}
