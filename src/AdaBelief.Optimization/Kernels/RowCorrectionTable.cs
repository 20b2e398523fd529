namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// The bias corrections of <see cref="SparseStepCount.PerRow"/> by a row's step count k, made once per k and kept:
/// the lazy step then spends a table read and a multiplication per row, not a power.
/// </summary>
/// <remarks>
/// Entry k holds exactly what <see cref="StepCoefficientsFactory.Compute"/> computes for step k before the learning
/// rate (the same function makes both), and the kernel rounds α·A to float as the dense step does, so a row whose count
/// equals the optimizer's t gets the dense step's bits. Counts from the later β's saturation step on share its entry,
/// where 1 − βᵏ is exactly 1; the table never grows beyond it (about 37,000 entries for β₂ = 0.999).
/// </remarks>
internal sealed class RowCorrectionTable
{
    private readonly AdaBeliefOptions _options;
    private readonly long _beta1Saturation;
    private readonly long _beta2Saturation;
    private Entry[] _entries = [];

    public RowCorrectionTable(AdaBeliefOptions options, long beta1Saturation, long beta2Saturation)
    {
        _options = options;
        _beta1Saturation = beta1Saturation;
        _beta2Saturation = beta2Saturation;
        LastCount = (int)Math.Min(int.MaxValue - 1, Math.Max(beta1Saturation, beta2Saturation));
    }

    /// <summary>The count from which every entry is the same (both β saturated); counts are clamped to it.</summary>
    public int LastCount { get; }

    /// <summary>The corrections by clamped count; entry 0 unused.</summary>
    public ReadOnlySpan<Entry> Entries => _entries;

    /// <summary>Makes sure entries up to count <paramref name="count"/> (clamped to <see cref="LastCount"/>) exist.</summary>
    public void Cover(int count)
    {
        int needed = Math.Min(count, LastCount) + 1;
        int have = _entries.Length;
        if (needed <= have)
            return;
        int size = Math.Min(LastCount + 1, Math.Max(needed, Math.Max(64, 2 * have)));
        Array.Resize(ref _entries, size);
        for (int k = Math.Max(1, have); k < size; k++)
        {
            var (a, b, c, _) = StepCoefficientsFactory.Corrections(_options, k, k >= _beta1Saturation, k >= _beta2Saturation);
            _entries[k] = new Entry(a, b, (float)c);
        }
    }

    /// <summary>
    /// One count's corrections side by side: the lazy step reads one entry per row, at the row's own count, and the
    /// three values then come from one cache line, not three (the table outgrows the first-level cache after a few
    /// thousand steps).
    /// </summary>
    /// <param name="MomentumWeight">A, before α.</param>
    /// <param name="GradientWeight">B, before α.</param>
    /// <param name="SecondMomentScale">C.</param>
    internal readonly record struct Entry(double MomentumWeight, double GradientWeight, float SecondMomentScale);
}
