namespace AdaBelief.Optimization.Kernels;

/// <summary>
/// Runs the fused update over a large tensor on several cores, one contiguous range each. The update is
/// element-wise and every register width rounds identically, so the result is bit-for-bit the same as one pass on
/// one core, however the ranges fall. Large tensors need it: one core runs out of divide and square-root throughput
/// before memory bandwidth is used up.
/// </summary>
internal static unsafe class ParallelKernel
{
    /// <summary>Elements below which one core does the whole tensor: spreading smaller work costs more than it saves.</summary>
    public const int DefaultThreshold = 1 << 19;

    public static bool Apply(
        in StepCoefficients coefficients,
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> m,
        Span<float> s,
        Span<float> sMax,
        bool amsgrad,
        bool usesDenominator,
        bool guardNonFinite,
        KernelWidth width,
        int workers)
    {
        // The spans stay pinned until every worker has finished, so the raw addresses handed out remain valid.
        fixed (float* p = parameters, g = gradients, mp = m, sp = s, xp = sMax)
        {
            var job = new Job(coefficients, p, g, mp, sp, xp, parameters.Length, amsgrad, usesDenominator, guardNonFinite, width, workers);
            Parallel.For(0, workers, job.Run);
            return job.AllFinite;
        }
    }

    private sealed class Job(
        StepCoefficients coefficients, float* p, float* g, float* m, float* s, float* sMax, int length,
        bool amsgrad, bool usesDenominator, bool guardNonFinite, KernelWidth width, int workers)
    {
        private int _nonFiniteRanges;

        public bool AllFinite => Volatile.Read(ref _nonFiniteRanges) == 0;

        public void Run(int worker)
        {
            // Range boundaries on 64-byte multiples keep every range's vectors aligned like the whole tensor's.
            long chunk = ((long)length / workers + 15) & ~15L;
            int start = (int)Math.Min(length, worker * chunk);
            int end = (int)Math.Min(length, start + chunk);
            if (worker == workers - 1)
                end = length;
            int count = end - start;
            if (count <= 0)
                return;

            bool finite = AdaBeliefKernel.Apply(
                coefficients,
                new Span<float>(p + start, count),
                new ReadOnlySpan<float>(g + start, count),
                new Span<float>(m + start, count),
                new Span<float>(s + start, count),
                amsgrad ? new Span<float>(sMax + start, count) : default,
                amsgrad,
                usesDenominator,
                guardNonFinite,
                width);
            if (!finite)
                Interlocked.Increment(ref _nonFiniteRanges);
        }
    }
}
