namespace AdaBelief.Optimization;

/// <summary>Which step count t the lazy step (<see cref="AdaBeliefOptimizer.StepSparse(Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{float})"/>) bias-corrects a row's moments with.</summary>
public enum SparseStepCount
{
    /// <summary>
    /// The optimizer's own t, as PyTorch's <c>SparseAdam</c> and TensorFlow Addons' <c>LazyAdam</c> do. A row first
    /// present at step t starts from zero moments but with the correction of step t, which is nearly none once t is
    /// large, so its first steps are several times α: on text, a rare token moves far on each occurrence.
    /// </summary>
    Global,

    /// <summary>
    /// The number of steps in which the row was present: each row is bias-corrected as if it were an optimizer of its
    /// own, started at its first occurrence, so every row's steps are about α from the first on. When every row is
    /// present in every step the count is t and the step equals the dense one bit for bit. Not combinable with
    /// <see cref="AdaBeliefOptions.Rectify"/>, whose ρₜ would then differ from row to row.
    /// </summary>
    PerRow,
}
