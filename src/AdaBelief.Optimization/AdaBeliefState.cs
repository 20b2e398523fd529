namespace AdaBelief.Optimization;

/// <summary>
/// Everything an <see cref="AdaBeliefOptimizer"/> has learned: counters, both moments, the AMSGrad maximum and the
/// plateau schedule's state. Schedules are pure functions of the counters, so nothing else is needed to resume
/// bit-identically. Made by <see cref="AdaBeliefOptimizer.ExportState"/>, written and read by
/// <see cref="AdaBeliefStateSerializer"/>. The options are not part of it: rebuild the optimizer with the same options.
/// </summary>
public sealed class AdaBeliefState
{
    private readonly int[] _tensorLengths;

    internal AdaBeliefState(
        IReadOnlyList<int> tensorLengths,
        long stepCount,
        long epochCount,
        long skippedStepCount,
        float[] firstMoment,
        float[] secondMoment,
        float[]? maxSecondMoment,
        PlateauState? plateau,
        RowStepCounts? rowStepCounts = null)
    {
        RowStepCounts = rowStepCounts;
        _tensorLengths = tensorLengths.ToArray();
        StepCount = stepCount;
        EpochCount = epochCount;
        SkippedStepCount = skippedStepCount;
        FirstMoment = firstMoment;
        SecondMoment = secondMoment;
        // Not a plain assignment: float[] → ReadOnlyMemory<float>? goes through the array conversion, which turns null
        // into an empty memory that HasValue reports as present.
        MaxSecondMoment = maxSecondMoment is null ? default(ReadOnlyMemory<float>?) : maxSecondMoment;
        Plateau = plateau;
    }

    /// <summary>The length of each tensor, in step order.</summary>
    public IReadOnlyList<int> TensorLengths => _tensorLengths;

    /// <summary>Steps applied.</summary>
    public long StepCount { get; }

    /// <summary>Epochs completed.</summary>
    public long EpochCount { get; }

    /// <summary>Steps skipped for non-finite gradients.</summary>
    public long SkippedStepCount { get; }

    /// <summary>The first moment m of every parameter, tensors one after another.</summary>
    public ReadOnlyMemory<float> FirstMoment { get; }

    /// <summary>The second moment s (the belief) of every parameter.</summary>
    public ReadOnlyMemory<float> SecondMoment { get; }

    /// <summary>The running maximum of s under AMSGrad, otherwise null.</summary>
    public ReadOnlyMemory<float>? MaxSecondMoment { get; }

    /// <summary>The plateau schedule's state, or null for any other schedule.</summary>
    public PlateauState? Plateau { get; }

    /// <summary>
    /// Each row's step count under <see cref="SparseStepCount.PerRow"/>, or null if no lazy step has counted them.
    /// </summary>
    public RowStepCounts? RowStepCounts { get; }
}
