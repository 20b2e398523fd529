using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The lazy step with <see cref="SparseStepCount.PerRow"/>: each row is bias-corrected by the steps it was present in,
/// so it steps exactly as an optimizer of its own started at its first occurrence; with every row present it is the
/// dense step.
/// </summary>
public sealed partial class SparseStepTests
{
    [TestMethod]
    public void PerRow_EveryRowPresent_EqualsDenseStepBitForBit()
    {
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where(o => !o.Rectify))
        {
            options.Beta2 = 0.9;
            AdaBeliefOptions perRow = options.Clone();
            perRow.SparseStepCount = SparseStepCount.PerRow;
            foreach (int rowLength in new[] { 1, 3, 8, 17 })
            {
                const int rows = 37; // rows of one float: two registers of 16 and a tail
                var random = new Random(rowLength + 100);
                float[] pd = KernelAgreementTests.RandomArray(random, rows * rowLength, 1f), pl = (float[])pd.Clone();
                float[] bd = KernelAgreementTests.RandomArray(random, 3, 1f), bl = (float[])bd.Clone();
                int[] all = Enumerable.Range(0, rows).ToArray();
                var dense = new AdaBeliefOptimizer(new[] { rows * rowLength, 3 }, options);
                var lazy = new AdaBeliefOptimizer(new[] { rows * rowLength, 3 }, perRow);
                for (int step = 0; step < Steps; step++)
                {
                    float[] g = KernelAgreementTests.RandomGradient(random, rows * rowLength);
                    float[] gb = KernelAgreementTests.RandomGradient(random, 3);
                    dense.Step(pd, g, bd, gb);
                    lazy.StepSparse(pl, rowLength, all, g, bl, gb);
                }

                string context = $"rowLength={rowLength} {OptionCombinations.Describe(options)}";
                CollectionAssert.AreEqual(pd, pl, context);
                CollectionAssert.AreEqual(bd, bl, context);
                AssertSameState(dense.ExportState(), lazy.ExportState(), context);
                CollectionAssert.AreEqual(Enumerable.Repeat(Steps, rows).ToArray(), lazy.ExportState().RowStepCounts!.Counts.ToArray(), context);
            }
        }
    }

    [TestMethod]
    public void PerRow_ARowStepsAsAnOptimizerOfItsOwn_StartedAtItsFirstOccurrence()
    {
        // Without norm clipping (a norm over all present rows) and with a constant rate, a row's parameters and
        // moments depend only on its own gradients and how many times it was present.
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where(o => !o.Rectify && o.GradientClipNorm is null))
        {
            options.Beta2 = 0.9;
            options.SparseStepCount = SparseStepCount.PerRow;
            foreach (int rowLength in new[] { 1, 6 })
            {
                const int rows = 40;
                var random = new Random(rowLength + 7);
                float[] start = KernelAgreementTests.RandomArray(random, rows * rowLength, 1f);
                float[] lazyParameters = (float[])start.Clone();
                var lazy = new AdaBeliefOptimizer(rows * rowLength, options);
                var own = Enumerable.Range(0, rows).Select(_ => new AdaBeliefOptimizer(rowLength, options.Clone())).ToArray();
                float[][] ownParameters = Enumerable.Range(0, rows).Select(r => start.AsSpan(r * rowLength, rowLength).ToArray()).ToArray();
                for (int step = 0; step < 3 * Steps; step++)
                {
                    int[] present = Enumerable.Range(0, rows).Where(_ => random.NextDouble() < 0.6).OrderBy(_ => random.Next()).ToArray();
                    float[] packed = KernelAgreementTests.RandomGradient(random, present.Length * rowLength);
                    lazy.StepSparse(lazyParameters, rowLength, present, packed);
                    for (int i = 0; i < present.Length; i++)
                        own[present[i]].Step(ownParameters[present[i]], packed.AsSpan(i * rowLength, rowLength));
                }

                string context = $"rowLength={rowLength} {OptionCombinations.Describe(options)}";
                CollectionAssert.AreEqual(ownParameters.SelectMany(p => p).ToArray(), lazyParameters, context);
                AdaBeliefState state = lazy.ExportState();
                CollectionAssert.AreEqual(own.SelectMany(o => o.ExportState().FirstMoment.ToArray()).ToArray(), state.FirstMoment.ToArray(), context);
                CollectionAssert.AreEqual(own.SelectMany(o => o.ExportState().SecondMoment.ToArray()).ToArray(), state.SecondMoment.ToArray(), context);
                CollectionAssert.AreEqual(own.Select(o => (int)o.StepCount).ToArray(), state.RowStepCounts!.Counts.ToArray(), context);
            }
        }
    }

    [TestMethod]
    public void PerRow_EveryPresentCountAndRowLength_EveryWidthGivesTheSameBits()
    {
        var options = new AdaBeliefOptions { LearningRate = 1e-2, Beta2 = 0.9, WeightDecay = 0.01, Amsgrad = true, SparseStepCount = SparseStepCount.PerRow };
        var nesterov = new AdaBeliefOptions { LearningRate = 1e-2, Nesterov = true, SparseStepCount = SparseStepCount.PerRow };
        for (int count = 0; count <= 70; count++)
        {
            CheckWidths(options, rows: 100, rowLength: 1, count, seed: count);
            CheckWidths(nesterov, rows: 100, rowLength: 1, count, seed: count);
        }

        for (int rowLength = 1; rowLength <= 70; rowLength++)
            CheckWidths(options, rows: 7, rowLength, count: 4, seed: rowLength);
    }

    [TestMethod]
    public void PerRow_CheckpointResumesBitForBit_AndDenseStepsCountForEveryRow()
    {
        var options = new AdaBeliefOptions { LearningRate = 1e-2, SparseStepCount = SparseStepCount.PerRow };
        var random = new Random(5);
        const int rows = 20, rowLength = 2;
        float[] uninterrupted = KernelAgreementTests.RandomArray(random, rows * rowLength, 1f), resumed = (float[])uninterrupted.Clone();
        int[][] present = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, rows).Where(_ => random.NextDouble() < 0.5).ToArray()).ToArray();
        float[][] gradients = present.Select(p => KernelAgreementTests.RandomGradient(random, p.Length * rowLength)).ToArray();

        var first = new AdaBeliefOptimizer(rows * rowLength, options);
        for (int step = 0; step < 4; step++)
        {
            first.StepSparse(uninterrupted, rowLength, present[step], gradients[step]);
            first.StepSparse(resumed, rowLength, [], []); // keeps the second copy in step: nothing present, nothing moves
        }

        Array.Copy(uninterrupted, resumed, resumed.Length);
        using var checkpoint = new MemoryStream();
        AdaBeliefStateSerializer.Write(first.ExportState(), checkpoint);
        checkpoint.Position = 0;
        var second = new AdaBeliefOptimizer(rows * rowLength, options);
        second.RestoreState(AdaBeliefStateSerializer.Read(checkpoint));
        CollectionAssert.AreEqual(first.ExportState().RowStepCounts!.Counts.ToArray(), second.ExportState().RowStepCounts!.Counts.ToArray());

        for (int step = 4; step < 8; step++)
        {
            first.StepSparse(uninterrupted, rowLength, present[step], gradients[step]);
            second.StepSparse(resumed, rowLength, present[step], gradients[step]);
        }

        CollectionAssert.AreEqual(uninterrupted, resumed);
        int[] before = second.ExportState().RowStepCounts!.Counts.ToArray();
        second.Step(resumed, new float[rows * rowLength]);
        CollectionAssert.AreEqual(before.Select(c => c + 1).ToArray(), second.ExportState().RowStepCounts!.Counts.ToArray(), "a dense step has every row present");
        second.Reset();
        Assert.IsNull(second.ExportState().RowStepCounts);
    }

    [TestMethod]
    public void PerRow_BadUse_IsRejectedWithTheFix()
    {
        var rectified = new AdaBeliefOptions { Rectify = true, SparseStepCount = SparseStepCount.PerRow };
        var error = Assert.ThrowsExactly<ArgumentException>(() => new AdaBeliefOptimizer(4, rectified));
        Assert.AreEqual("SparseStepCount", error.ParamName);
        StringAssert.Contains(error.Message, "Rectify = false");

        var optimizer = new AdaBeliefOptimizer(6, new AdaBeliefOptions { SparseStepCount = SparseStepCount.PerRow });
        float[] parameters = new float[6];
        optimizer.StepSparse(parameters, 2, [1], [0.5f, 0.5f]);
        var rowLength = Assert.ThrowsExactly<ArgumentException>(() => optimizer.StepSparse(parameters, 3, [0], [1f, 1f, 1f]));
        Assert.AreEqual("rowLength", rowLength.ParamName);

        // A state whose rows were present in more steps than it took (or in fewer than none) is damaged: refused, and
        // the optimizer keeps what it had.
        AdaBeliefState good = optimizer.ExportState();
        foreach (int bad in new[] { 2, -1 })
        {
            var damaged = new AdaBeliefState(
                good.TensorLengths, good.StepCount, good.EpochCount, good.SkippedStepCount, good.FirstMoment.ToArray(), good.SecondMoment.ToArray(), null, null, new RowStepCounts(2, [0, 1, bad]));
            var restore = Assert.ThrowsExactly<ArgumentException>(() => optimizer.RestoreState(damaged));
            StringAssert.Contains(restore.Message, $"row 2 has {bad}");
        }

        AssertSameState(good, optimizer.ExportState(), "after the refused restores");
    }
}
