using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// A large lazy step runs on two cores, chunks of its rows claimed by the stepping thread and by a helper (a trainer's
/// own thread, or a thread-pool thread): the result must be bit-for-bit that of one core, whoever takes which chunk.
/// </summary>
[TestClass]
public sealed class ChunkedSparseStepTests
{
    private const int TensorRows = 4_000;

    /// <summary>More rows than three chunks of 512, the last one partial.</summary>
    private const int PresentRows = 1_700;

    [TestMethod]
    public void ChunkedStep_IsBitIdenticalToOneCore_ForEveryOptionCombination()
    {
        int combination = 0;
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where((_, i) => i % 3 == 0))
        {
            // Per-row counts wherever the options allow them (the rectifier needs one count for all).
            options.SparseStepCount = !options.Rectify && combination++ % 2 == 0 ? SparseStepCount.PerRow : SparseStepCount.Global;
            foreach (int rowLength in new[] { 1, 3, 22 })
            {
                var random = new Random(rowLength + (31 * combination));
                float[] start = KernelAgreementTests.RandomArray(random, TensorRows * rowLength, 1f);
                int[][] present = [.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, TensorRows).OrderBy(_ => random.Next()).Take(PresentRows).ToArray())];
                float[][] gradients = [.. present.Select(p => KernelAgreementTests.RandomGradient(random, p.Length * rowLength))];
                string context = $"rows of {rowLength}, {options.SparseStepCount}, {OptionCombinations.Describe(options)}";

                (float[] one, AdaBeliefState oneState) = Run(options, start, rowLength, present, gradients, chunked: false, helper: null);
                foreach (RecordingHelper? helper in new[] { null, new RecordingHelper() })
                {
                    (float[] two, AdaBeliefState twoState) = Run(options, start, rowLength, present, gradients, chunked: true, helper);
                    CollectionAssert.AreEqual(one, two, context);
                    CollectionAssert.AreEqual(oneState.FirstMoment.ToArray(), twoState.FirstMoment.ToArray(), context);
                    CollectionAssert.AreEqual(oneState.SecondMoment.ToArray(), twoState.SecondMoment.ToArray(), context);
                    if (options.Amsgrad)
                        CollectionAssert.AreEqual(oneState.MaxSecondMoment!.Value.ToArray(), twoState.MaxSecondMoment!.Value.ToArray(), context);
                    if (options.SparseStepCount == SparseStepCount.PerRow)
                        CollectionAssert.AreEqual(oneState.RowStepCounts!.Counts.ToArray(), twoState.RowStepCounts!.Counts.ToArray(), context);
                    if (helper is not null)
                        Assert.AreEqual(present.Length, helper.Offers, "every step was offered to the helper");
                }
            }
        }
    }

    [TestMethod]
    public void ChunkedStep_OnlyFromTheThreshold_AndNeverWithOneCore()
    {
        var helper = new RecordingHelper();
        var optimizer = new AdaBeliefOptimizer(TensorRows * 22) { SparseParallelThreshold = 22 * 1_000, SparseStepHelper = helper };
        float[] p = new float[TensorRows * 22];
        optimizer.StepSparse(p, 22, [.. Enumerable.Range(0, 999)], new float[999 * 22]);
        Assert.AreEqual(0, helper.Offers, "below the threshold the step stays on the calling thread");
        optimizer.StepSparse(p, 22, [.. Enumerable.Range(0, 1_000)], new float[1_000 * 22]);
        Assert.AreEqual(1, helper.Offers);

        var single = new AdaBeliefOptimizer(TensorRows * 22, new AdaBeliefOptions { MaxDegreeOfParallelism = 1 }) { SparseParallelThreshold = 1, SparseStepHelper = helper };
        single.StepSparse(p, 22, [.. Enumerable.Range(0, 1_000)], new float[1_000 * 22]);
        Assert.AreEqual(1, helper.Offers, "MaxDegreeOfParallelism = 1 keeps every step on the calling thread");
    }

    [TestMethod]
    public void ChunkedStep_ReportsANonFiniteGradientInAnyChunk_AsOneCoreDoes()
    {
        foreach (int bad in new[] { 5, (700 * 22) + 3, (PresentRows * 22) - 1 })
        {
            var random = new Random(bad);
            int[] present = [.. Enumerable.Range(0, TensorRows).OrderBy(_ => random.Next()).Take(PresentRows)];
            float[] gradient = KernelAgreementTests.RandomGradient(random, PresentRows * 22);
            gradient[bad] = float.NaN;
            float[] one = new float[TensorRows * 22], two = new float[TensorRows * 22];

            var e1 = Assert.ThrowsExactly<NonFiniteGradientException>(() => new AdaBeliefOptimizer(one.Length).StepSparse(one, 22, present, gradient));
            var chunked = new AdaBeliefOptimizer(two.Length) { SparseParallelThreshold = 1, SparseStepHelper = new RecordingHelper() };
            var e2 = Assert.ThrowsExactly<NonFiniteGradientException>(() => chunked.StepSparse(two, 22, present, gradient));

            Assert.AreEqual(bad, e1.ElementIndex);
            Assert.AreEqual(bad, e2.ElementIndex);
            CollectionAssert.AreEqual(one, two, "the other coordinates stepped, the bad one left as it was");
        }
    }

    [TestMethod]
    public void ChunkedStep_NotesAnOverflowWrittenInAnyChunk()
    {
        foreach (int position in new[] { 0, (1_024 * 22) + 7, (PresentRows * 22) - 1 })
        {
            var random = new Random(position);
            int[] present = [.. Enumerable.Range(0, TensorRows).OrderBy(_ => random.Next()).Take(PresentRows)];
            float[] gradient = KernelAgreementTests.RandomGradient(random, PresentRows * 22);
            var optimizer = new AdaBeliefOptimizer(TensorRows * 22) { SparseParallelThreshold = 1 };
            float[] p = new float[TensorRows * 22];

            optimizer.StepSparse(p, 22, present, gradient);
            Assert.IsTrue(optimizer.LazyWritesFinite);
            gradient[position] = 1e30f; // finite, but its square overflows the second moment
            optimizer.StepSparse(p, 22, present, gradient);
            Assert.IsFalse(optimizer.LazyWritesFinite, $"value {position}");
        }
    }

    private static (float[] Parameters, AdaBeliefState State) Run(
        AdaBeliefOptions options, float[] start, int rowLength, int[][] present, float[][] gradients, bool chunked, RecordingHelper? helper)
    {
        float[] p = (float[])start.Clone();
        var optimizer = new AdaBeliefOptimizer(p.Length, options)
        {
            SparseParallelThreshold = chunked ? 1 : long.MaxValue,
            SparseStepHelper = helper,
        };
        for (int step = 0; step < present.Length; step++)
            Assert.IsTrue(optimizer.StepSparse(p, rowLength, present[step], gradients[step]));
        return (p, optimizer.ExportState());
    }

    /// <summary>A helper on a thread of its own, as a trainer's is: it takes chunks of every step offered to it.</summary>
    private sealed class RecordingHelper : ISparseStepHelper
    {
        public int Offers { get; private set; }

        public void Offer(SparseStepChunks chunks)
        {
            Offers++;
            new Thread(chunks.RunChunks) { IsBackground = true }.Start();
        }
    }
}
