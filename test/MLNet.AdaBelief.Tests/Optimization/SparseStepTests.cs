using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// The lazy step against the dense one: equal bit for bit when every row is present; with rows absent, equal to the
/// dense step followed by putting the absent rows' parameters and moments back; every width the same bits; bad input.
/// </summary>
[TestClass]
public sealed partial class SparseStepTests
{
    private const int Steps = 6;
    private static readonly KernelWidth[] Widths = [KernelWidth.Vector512, KernelWidth.Vector256, KernelWidth.Vector128, KernelWidth.Scalar];

    // Bit for bit, not within rounding: a present coordinate goes through the very element update of the dense kernel
    // with the same per-step constants, each operation rounds once, and the norm for clipping is summed over the same
    // values in the same order (rows in index order).
    [TestMethod]
    public void EveryRowPresent_EqualsDenseStepBitForBit()
    {
        foreach (AdaBeliefOptions options in OptionCombinations.All())
        {
            options.Beta2 = 0.9;
            foreach (int rowLength in new[] { 1, 3, 8, 10, 17 })
            {
                int rows = 23;
                var random = new Random(rowLength);
                float[] start = KernelAgreementTests.RandomArray(random, rows * rowLength, 1f);
                float[] biasStart = KernelAgreementTests.RandomArray(random, 4, 1f);
                int[] all = Enumerable.Range(0, rows).ToArray();

                var dense = new AdaBeliefOptimizer(new[] { rows * rowLength, 4 }, options) { WeightDecayMask = [true, false] };
                var lazy = new AdaBeliefOptimizer(new[] { rows * rowLength, 4 }, options) { WeightDecayMask = [true, false] };
                float[] pd = (float[])start.Clone(), pl = (float[])start.Clone();
                float[] bd = (float[])biasStart.Clone(), bl = (float[])biasStart.Clone();
                for (int step = 0; step < Steps; step++)
                {
                    float[] g = KernelAgreementTests.RandomGradient(random, rows * rowLength);
                    float[] gb = KernelAgreementTests.RandomGradient(random, 4);
                    Assert.IsTrue(dense.Step(pd, g, bd, gb));
                    Assert.IsTrue(lazy.StepSparse(pl, rowLength, all, g, bl, gb));
                }

                string context = $"rowLength={rowLength} {OptionCombinations.Describe(options)}";
                CollectionAssert.AreEqual(pd, pl, context);
                CollectionAssert.AreEqual(bd, bl, context);
                AssertSameState(dense.ExportState(), lazy.ExportState(), context);
            }
        }
    }

    [TestMethod]
    public void RowsInAnyOrder_EqualDenseStepWithoutNormClipping()
    {
        // Without the global norm (whose float sum depends on the packing order) the order of the rows cannot matter.
        foreach (AdaBeliefOptions options in OptionCombinations.All().Where(o => o.GradientClipNorm is null))
        {
            const int rows = 40, rowLength = 5;
            var random = new Random(11);
            float[] pd = KernelAgreementTests.RandomArray(random, rows * rowLength, 1f), pl = (float[])pd.Clone();
            var dense = new AdaBeliefOptimizer(rows * rowLength, options);
            var lazy = new AdaBeliefOptimizer(rows * rowLength, options);
            for (int step = 0; step < Steps; step++)
            {
                float[] g = KernelAgreementTests.RandomGradient(random, rows * rowLength);
                int[] order = Enumerable.Range(0, rows).OrderBy(_ => random.Next()).ToArray();
                dense.Step(pd, g);
                lazy.StepSparse(pl, rowLength, order, Pack(g, order, rowLength));
            }

            CollectionAssert.AreEqual(pd, pl, OptionCombinations.Describe(options));
        }
    }

    [TestMethod]
    public void AbsentRows_KeepParametersAndMomentsBitForBit_PresentRowsGetTheDenseUpdate()
    {
        foreach (AdaBeliefOptions options in OptionCombinations.All())
        {
            options.Beta2 = 0.9;
            foreach (int rowLength in new[] { 1, 4, 9 })
            {
                const int rows = 30;
                int n = rows * rowLength;
                var random = new Random(rowLength * 31);
                float[] lazyParameters = KernelAgreementTests.RandomArray(random, n, 1f);
                float[] oracleParameters = (float[])lazyParameters.Clone();
                var lazy = new AdaBeliefOptimizer(n, options);
                var oracle = new AdaBeliefOptimizer(n, options);
                for (int step = 0; step < Steps; step++)
                {
                    int[] present = Enumerable.Range(0, rows).Where(_ => random.NextDouble() < 0.4).OrderBy(_ => random.Next()).ToArray();
                    float[] packed = KernelAgreementTests.RandomGradient(random, present.Length * rowLength);
                    float[] before = (float[])lazyParameters.Clone();
                    AdaBeliefState stateBefore = lazy.ExportState();
                    lazy.StepSparse(lazyParameters, rowLength, present, packed);

                    AdaBeliefState stateAfter = lazy.ExportState();
                    var isPresent = new bool[rows];
                    foreach (int row in present)
                        isPresent[row] = true;
                    for (int i = 0; i < n; i++)
                    {
                        if (isPresent[i / rowLength])
                            continue;
                        Assert.AreEqual(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(lazyParameters[i]), $"parameter {i} moved");
                        Assert.AreEqual(stateBefore.FirstMoment.Span[i], stateAfter.FirstMoment.Span[i], $"m {i} moved");
                        Assert.AreEqual(stateBefore.SecondMoment.Span[i], stateAfter.SecondMoment.Span[i], $"s {i} moved");
                        if (options.Amsgrad)
                            Assert.AreEqual(stateBefore.MaxSecondMoment!.Value.Span[i], stateAfter.MaxSecondMoment!.Value.Span[i]);
                    }

                    // The oracle: a dense step on the gradient with zeros at absent rows (the same norm), then the
                    // absent rows' parameters and moments put back.
                    float[] full = Unpack(packed, present, rows, rowLength);
                    AdaBeliefState oracleBefore = oracle.ExportState();
                    float[] oracleBeforeParameters = (float[])oracleParameters.Clone();
                    oracle.Step(oracleParameters, full);
                    PutBackAbsent(oracle, oracleBefore, oracleParameters, oracleBeforeParameters, isPresent, rowLength);
                }

                // Norm clipping sums the zeros too, in other lanes, so its scale may round differently: compared above only.
                if (options.GradientClipNorm is not null)
                    continue;
                string context = $"rowLength={rowLength} {OptionCombinations.Describe(options)}";
                CollectionAssert.AreEqual(oracleParameters, lazyParameters, context);
                AssertSameState(oracle.ExportState(), lazy.ExportState(), context);
            }
        }
    }

    [TestMethod]
    public void EveryPresentCountAndRowLength_EveryWidthGivesTheSameBits()
    {
        var options = new AdaBeliefOptions { LearningRate = 1e-2, Beta2 = 0.9, WeightDecay = 0.01, Amsgrad = true };
        var guarded = new AdaBeliefOptions { LearningRate = 1e-2, Rectify = true, NonFiniteGradients = NonFiniteGradientPolicy.Throw };

        // Rows of one float run across the indices: every count 0..130 covers each width's tails.
        for (int count = 0; count <= 130; count++)
        {
            CheckWidths(options, rows: 200, rowLength: 1, count, seed: count);
            CheckWidths(guarded, rows: 200, rowLength: 1, count, seed: count);
        }

        // Longer rows run along the row: every length 1..130 covers each width's tail within a row.
        for (int rowLength = 1; rowLength <= 130; rowLength++)
        {
            CheckWidths(options, rows: 7, rowLength, count: 4, seed: rowLength);
            CheckWidths(guarded, rows: 7, rowLength, count: 4, seed: rowLength);
        }
    }

    [TestMethod]
    public void NonFiniteGradient_ThrowsWithPackedPosition_AndSkipLeavesEverythingUnchanged()
    {
        float[] parameters = [1, 2, 3, 4, 5, 6];
        var optimizer = new AdaBeliefOptimizer(6);
        var error = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.StepSparse(parameters, 2, [2, 0], [0.1f, 0.2f, float.NaN, 0.3f]));
        Assert.AreEqual(0, error.TensorIndex);
        Assert.AreEqual(2, error.ElementIndex);

        var skipping = new AdaBeliefOptimizer(6, new AdaBeliefOptions { NonFiniteGradients = NonFiniteGradientPolicy.SkipStep });
        float[] kept = (float[])parameters.Clone();
        Assert.IsFalse(skipping.StepSparse(kept, 2, [1], [float.PositiveInfinity, 1f]));
        CollectionAssert.AreEqual(parameters, kept);
        Assert.AreEqual(0, skipping.StepCount);
        Assert.AreEqual(1, skipping.SkippedStepCount);
    }

    [TestMethod]
    [DataRow(10, 7)] // 256-bit registers [0, 8) and the overlapping [2, 10): the bad coordinate is in both
    [DataRow(22, 9)] // 512-bit registers [0, 16) and [6, 22): in both
    [DataRow(22, 20)] // in the overlapping register only
    [DataRow(22, 3)] // in the first register only
    public void NonFiniteGradient_InARaggedRow_LeavesOnlyItsCoordinate_AtEveryWidth(int rowLength, int bad)
    {
        var random = new Random(rowLength + bad);
        float[] start = KernelAgreementTests.RandomArray(random, 3 * rowLength, 1f);
        float[] gradient = KernelAgreementTests.RandomGradient(random, 2 * rowLength);
        gradient[bad] = float.NaN; // row 2, the first packed row
        gradient[(bad + 1) % rowLength] = 0.5f; // a neighbour that surely steps
        var options = new AdaBeliefOptions { LearningRate = 1e-2, NonFiniteGradients = NonFiniteGradientPolicy.Throw };

        float[]? expected = null;
        float[]? expectedMoment = null;
        foreach (KernelWidth width in Widths)
        {
            float[] p = (float[])start.Clone();
            var optimizer = new AdaBeliefOptimizer(p.Length, options) { Width = width };
            var error = Assert.ThrowsExactly<NonFiniteGradientException>(() => optimizer.StepSparse(p, rowLength, [2, 0], gradient));
            Assert.AreEqual(bad, error.ElementIndex);
            Assert.AreEqual(start[(2 * rowLength) + bad], p[(2 * rowLength) + bad], $"width {width}: the bad coordinate is untouched");
            Assert.AreNotEqual(start[(2 * rowLength) + ((bad + 1) % rowLength)], p[(2 * rowLength) + ((bad + 1) % rowLength)], $"width {width}: its neighbour steps");
            float[] moment = optimizer.ExportState().FirstMoment.ToArray();
            if (expected is null)
            {
                (expected, expectedMoment) = (p, moment);
                continue;
            }

            CollectionAssert.AreEqual(expected, p, $"width {width}: parameters");
            CollectionAssert.AreEqual(expectedMoment, moment, $"width {width}: first moments");
        }
    }

    [TestMethod]
    public void BadInput_IsRejectedBeforeAnythingChanges()
    {
        float[] parameters = [1, 2, 3, 4, 5, 6];
        var optimizer = new AdaBeliefOptimizer(6);

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => optimizer.StepSparse(parameters, 0, [0], [1f]));
        Assert.ThrowsExactly<ArgumentException>(() => optimizer.StepSparse(parameters, 4, [0], [1f, 1f, 1f, 1f]));
        Assert.ThrowsExactly<ArgumentException>(() => optimizer.StepSparse(parameters, 2, [0], [1f]));
        Assert.ThrowsExactly<ArgumentException>(() => optimizer.StepSparse(new float[4], 2, [0], [1f, 1f]));
        var outOfRange = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => optimizer.StepSparse(parameters, 2, [1, 3], [1f, 1f, 1f, 1f]));
        StringAssert.Contains(outOfRange.Message, "[0, 3)");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => optimizer.StepSparse(parameters, 2, [-1], [1f, 1f]));
        var twice = Assert.ThrowsExactly<ArgumentException>(() => optimizer.StepSparse(parameters, 2, [2, 0, 2], [1f, 1f, 1f, 1f, 1f, 1f]));
        StringAssert.Contains(twice.Message, "Row 2 appears twice");
        Assert.ThrowsExactly<ArgumentException>(() => optimizer.StepSparse(parameters, 2, [0], [1f, 1f], new float[1], new float[1]));

        CollectionAssert.AreEqual((float[])[1, 2, 3, 4, 5, 6], parameters);
        Assert.AreEqual(0, optimizer.StepCount);
        Assert.IsTrue(optimizer.ExportState().FirstMoment.ToArray().All(v => v == 0));

        // A rejected step leaves no trace in the repeat check: the same rows are accepted afterwards.
        Assert.IsTrue(optimizer.StepSparse(parameters, 2, [2, 0], [1f, 1f, 1f, 1f]));
        Assert.IsTrue(optimizer.StepSparse(parameters, 2, [0, 2], [1f, 1f, 1f, 1f]));

        var twoTensors = new AdaBeliefOptimizer((int[])[6, 2]);
        Assert.ThrowsExactly<ArgumentException>(() => twoTensors.StepSparse(parameters, 2, [0], [1f, 1f]));
        Assert.ThrowsExactly<ArgumentException>(() => twoTensors.StepSparse(parameters, 2, [0], [1f, 1f], new float[3], new float[3]));
        Assert.ThrowsExactly<ArgumentException>(() => twoTensors.StepSparse(parameters, 2, [0], [1f, 1f], new float[2], new float[1]));
    }

    [TestMethod]
    public void DistinctRowsStep_GivesTheCheckedStepsBits()
    {
        // The trainers' entry point leaves out the repeat and range check (their rows are distinct by construction);
        // everything else is the public step's, per-row counts included.
        var random = new Random(12);
        float[] start = Enumerable.Range(0, 40 * 3).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] checkedParameters = [.. start], trustedParameters = [.. start];
        float[] checkedBias = [0.1f, -0.2f, 0.3f], trustedBias = [.. checkedBias];
        var options = new AdaBeliefOptions { LearningRate = 0.01, SparseStepCount = SparseStepCount.PerRow };
        var checkedOptimizer = new AdaBeliefOptimizer((int[])[120, 3], options);
        var trustedOptimizer = new AdaBeliefOptimizer((int[])[120, 3], options);
        for (int step = 0; step < Steps; step++)
        {
            int[] rows = [.. Enumerable.Range(0, 40).Where(_ => random.NextDouble() < 0.4).OrderBy(_ => random.Next())];
            float[] gradients = [.. Enumerable.Range(0, rows.Length * 3).Select(_ => (float)random.NextDouble() - 0.5f)];
            float[] biasGradient = [0.05f * step, -0.1f, 0.2f];
            checkedOptimizer.StepSparse(checkedParameters, 3, rows, gradients, checkedBias, biasGradient);
            trustedOptimizer.StepSparseDistinctRows(trustedParameters, 3, rows, gradients, trustedBias, biasGradient);
        }

        CollectionAssert.AreEqual(checkedParameters, trustedParameters);
        CollectionAssert.AreEqual(checkedBias, trustedBias);
        AssertSameState(checkedOptimizer.ExportState(), trustedOptimizer.ExportState(), "state");
    }

    [TestMethod]
    public void NoRowPresent_AdvancesTheStepCountOnly()
    {
        float[] parameters = [1, 2, 3];
        float[] bias = [0.5f];
        var optimizer = new AdaBeliefOptimizer((int[])[3, 1]);
        Assert.IsTrue(optimizer.StepSparse(parameters, 1, [], [], bias, [1f]));
        CollectionAssert.AreEqual((float[])[1, 2, 3], parameters);
        Assert.AreNotEqual(0.5f, bias[0]);
        Assert.AreEqual(1, optimizer.StepCount);
    }

    // The trainers skip scanning every row at an epoch's end while this stays true: it must fall at any value written
    // that is not finite, wherever in a register or row it sits (the vector part, a row's overlapping last register,
    // the scalar tail of rows of one float), at every width; and only then.
    [TestMethod]
    public void LazyWritesFinite_FallsAtAnOverflowedSecondMoment_AnywhereAtAnyWidth_AndOnlyThen()
    {
        var options = new AdaBeliefOptions { LearningRate = 1e-2 };
        foreach (KernelWidth width in Widths)
        {
            foreach ((int rowLength, int count) in new[] { (1, 3), (1, 40), (22, 5) })
            {
                for (int position = 0; position < count * rowLength; position += Math.Max(1, (count * rowLength) / 7))
                {
                    const int Rows = 64;
                    var random = new Random(position);
                    float[] p = KernelAgreementTests.RandomArray(random, Rows * rowLength, 1f);
                    int[] present = Enumerable.Range(0, Rows).OrderBy(_ => random.Next()).Take(count).ToArray();
                    var optimizer = new AdaBeliefOptimizer(Rows * rowLength, options) { Width = width };
                    string context = $"width {width}, {count} rows of {rowLength}, value {position}";

                    Assert.IsTrue(optimizer.StepSparse(p, rowLength, present, KernelAgreementTests.RandomGradient(random, count * rowLength)));
                    Assert.IsTrue(optimizer.LazyWritesFinite, context);

                    // Finite, but its square overflows float: the second moment becomes +∞.
                    float[] gradient = KernelAgreementTests.RandomGradient(random, count * rowLength);
                    gradient[position] = 1e30f;
                    Assert.IsTrue(optimizer.StepSparse(p, rowLength, present, gradient));
                    Assert.IsFalse(optimizer.LazyWritesFinite, context);

                    optimizer.Reset();
                    Assert.IsTrue(optimizer.LazyWritesFinite, context);
                }
            }
        }
    }

    private static void CheckWidths(AdaBeliefOptions options, int rows, int rowLength, int count, int seed)
    {
        var random = new Random(seed);
        float[] start = KernelAgreementTests.RandomArray(random, rows * rowLength, 1f);
        int[][] present = Enumerable.Range(0, 3)
            .Select(_ => Enumerable.Range(0, rows).OrderBy(_ => random.Next()).Take(count).ToArray()).ToArray();
        float[][] gradients = present.Select(p => KernelAgreementTests.RandomGradient(random, p.Length * rowLength)).ToArray();

        float[]? first = null;
        AdaBeliefState? firstState = null;
        foreach (KernelWidth width in Widths)
        {
            float[] p = (float[])start.Clone();
            var optimizer = new AdaBeliefOptimizer(rows * rowLength, options) { Width = width };
            for (int step = 0; step < present.Length; step++)
                Assert.IsTrue(optimizer.StepSparse(p, rowLength, present[step], gradients[step]));
            if (first is null)
            {
                first = p;
                firstState = optimizer.ExportState();
                continue;
            }

            string context = $"width {width}, {count} rows of {rowLength}";
            CollectionAssert.AreEqual(first, p, context);
            AssertSameState(firstState!, optimizer.ExportState(), context);
        }
    }

    private static float[] Pack(float[] gradient, int[] rows, int rowLength)
    {
        var packed = new float[rows.Length * rowLength];
        for (int i = 0; i < rows.Length; i++)
            Array.Copy(gradient, rows[i] * rowLength, packed, i * rowLength, rowLength);
        return packed;
    }

    private static float[] Unpack(float[] packed, int[] rows, int rowCount, int rowLength)
    {
        var full = new float[rowCount * rowLength];
        for (int i = 0; i < rows.Length; i++)
            Array.Copy(packed, i * rowLength, full, rows[i] * rowLength, rowLength);
        return full;
    }

    private static void PutBackAbsent(AdaBeliefOptimizer optimizer, AdaBeliefState before, float[] parameters, float[] beforeParameters, bool[] isPresent, int rowLength)
    {
        AdaBeliefState after = optimizer.ExportState();
        float[] m = after.FirstMoment.ToArray(), s = after.SecondMoment.ToArray();
        float[]? x = after.MaxSecondMoment?.ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (isPresent[i / rowLength])
                continue;
            parameters[i] = beforeParameters[i];
            m[i] = before.FirstMoment.Span[i];
            s[i] = before.SecondMoment.Span[i];
            if (x is not null)
                x[i] = before.MaxSecondMoment!.Value.Span[i];
        }

        optimizer.RestoreState(new AdaBeliefState(after.TensorLengths, after.StepCount, after.EpochCount, after.SkippedStepCount, m, s, x, after.Plateau));
    }

    private static void AssertSameState(AdaBeliefState expected, AdaBeliefState actual, string context)
    {
        Assert.AreEqual(expected.StepCount, actual.StepCount, context);
        CollectionAssert.AreEqual(expected.FirstMoment.ToArray(), actual.FirstMoment.ToArray(), context);
        CollectionAssert.AreEqual(expected.SecondMoment.ToArray(), actual.SecondMoment.ToArray(), context);
        CollectionAssert.AreEqual(expected.MaxSecondMoment?.ToArray(), actual.MaxSecondMoment?.ToArray(), context);
    }
}
