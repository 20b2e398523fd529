using System.Buffers.Binary;

namespace MLNet.AdaBelief.Tests.Optimization;

/// <summary>
/// Export, serialize, read back and restore: a training run interrupted by a checkpoint continues bit-identically to
/// one that never stopped; damaged checkpoints and states of another shape are rejected; Reset starts afresh.
/// </summary>
[TestClass]
public sealed class CheckpointTests
{
    private const int N0 = 11, N1 = 24;

    private static AdaBeliefOptions OptionSet(string name) => name switch
    {
        "defaults" => new AdaBeliefOptions(),
        "amsgrad" => new AdaBeliefOptions { LearningRate = 0.01, Amsgrad = true },
        "rectify+nesterov+decoupled+clipnorm" => new AdaBeliefOptions
        {
            LearningRate = 0.01,
            Rectify = true,
            Nesterov = true,
            WeightDecay = 0.05,
            DecoupledWeightDecay = true,
            GradientClipNorm = 0.5,
        },
        "fixed rate per epoch" => new AdaBeliefOptions { LearningRate = new FixedLearningRate(0.01), ScheduleUnit = ScheduleUnit.Epoch },
        "halving per epoch" => new AdaBeliefOptions { LearningRate = new HalvingRate(0.02), ScheduleUnit = ScheduleUnit.Epoch, Amsgrad = true },
        "halving per step" => new AdaBeliefOptions { LearningRate = new HalvingRate(0.02), ScheduleUnit = ScheduleUnit.Step },
        "skip policy" => new AdaBeliefOptions
        {
            LearningRate = 0.01,
            NonFiniteGradients = NonFiniteGradientPolicy.SkipStep,
            WeightDecay = 0.02,
            GradientClipValue = 0.5,
        },
        _ => throw new ArgumentException($"Unknown option set {name}.", nameof(name)),
    };

    [TestMethod]
    [DataRow("defaults")]
    [DataRow("amsgrad")]
    [DataRow("rectify+nesterov+decoupled+clipnorm")]
    [DataRow("fixed rate per epoch")]
    [DataRow("halving per epoch")]
    [DataRow("halving per step")]
    [DataRow("skip policy")]
    public void CheckpointMidTraining_ContinuesBitIdentically(string name)
    {
        AdaBeliefOptions options = OptionSet(name);
        TrainingData data = TrainingData.Create(seed: name.Length);

        // Uninterrupted: 20 steps.
        var uninterrupted = new AdaBeliefOptimizer([N0, N1], options);
        float[] u0 = (float[])data.Start0.Clone(), u1 = (float[])data.Start1.Clone();
        for (int step = 0; step < 20; step++)
            data.Apply(uninterrupted, step, u0, u1);

        // Interrupted: 10 steps, checkpoint through a stream, a new optimizer, 10 more.
        var first = new AdaBeliefOptimizer([N0, N1], options);
        float[] p0 = (float[])data.Start0.Clone(), p1 = (float[])data.Start1.Clone();
        for (int step = 0; step < 10; step++)
            data.Apply(first, step, p0, p1);
        AdaBeliefState exported = first.ExportState();
        using var stream = new MemoryStream();
        AdaBeliefStateSerializer.Write(exported, stream);
        stream.Position = 0;
        AdaBeliefState read = AdaBeliefStateSerializer.Read(stream);
        Assert.AreEqual(stream.Length, stream.Position, "Read should consume exactly what Write wrote");
        BitwiseAssert.StatesEqual(exported, read, $"{name}: round trip");

        var second = new AdaBeliefOptimizer([N0, N1], options);
        second.RestoreState(read);
        Assert.AreEqual(first.StepCount, second.StepCount);
        Assert.AreEqual(first.EpochCount, second.EpochCount);
        Assert.AreEqual(first.SkippedStepCount, second.SkippedStepCount);
        Assert.AreEqual(first.CurrentLearningRate, second.CurrentLearningRate);
        for (int step = 10; step < 20; step++)
            data.Apply(second, step, p0, p1);

        BitwiseAssert.AreEqual(u0, p0, $"{name}: tensor 0");
        BitwiseAssert.AreEqual(u1, p1, $"{name}: tensor 1");
        BitwiseAssert.StatesEqual(uninterrupted.ExportState(), second.ExportState(), name);
        Assert.AreEqual(uninterrupted.StepCount, second.StepCount);
        Assert.AreEqual(uninterrupted.EpochCount, second.EpochCount);
        Assert.AreEqual(uninterrupted.SkippedStepCount, second.SkippedStepCount);
        Assert.AreEqual(uninterrupted.CurrentLearningRate, second.CurrentLearningRate);
        Assert.AreEqual(5L, second.EpochCount);
        Assert.AreEqual(options.NonFiniteGradients == NonFiniteGradientPolicy.SkipStep ? 18L : 20L, second.StepCount);
        Assert.AreEqual(options.NonFiniteGradients == NonFiniteGradientPolicy.SkipStep ? 2L : 0L, second.SkippedStepCount);
    }

    [TestMethod]
    public void ExportState_IsDeepCopy()
    {
        TrainingData data = TrainingData.Create(seed: 1);
        var optimizer = new AdaBeliefOptimizer([N0, N1], new AdaBeliefOptions { LearningRate = 0.01, Amsgrad = true });
        float[] p0 = (float[])data.Start0.Clone(), p1 = (float[])data.Start1.Clone();
        for (int step = 0; step < 4; step++)
            data.Apply(optimizer, step, p0, p1);

        AdaBeliefState state = optimizer.ExportState();
        float[] m = state.FirstMoment.ToArray(), s = state.SecondMoment.ToArray(), sMax = state.MaxSecondMoment!.Value.ToArray();
        long steps = state.StepCount, epochs = state.EpochCount;
        for (int step = 4; step < 8; step++)
            data.Apply(optimizer, step, p0, p1);

        BitwiseAssert.AreEqual(m, state.FirstMoment.Span, "m");
        BitwiseAssert.AreEqual(s, state.SecondMoment.Span, "s");
        BitwiseAssert.AreEqual(sMax, state.MaxSecondMoment.Value.Span, "sMax");
        Assert.AreEqual(steps, state.StepCount);
        Assert.AreEqual(epochs, state.EpochCount);
        CollectionAssert.AreEqual(new[] { N0, N1 }, state.TensorLengths.ToArray());
        CollectionAssert.AreNotEqual(m, optimizer.ExportState().FirstMoment.ToArray(), "the optimizer should have moved on");
    }

    [TestMethod]
    public void RestoreState_CopiesRatherThanKeepsTheState()
    {
        TrainingData data = TrainingData.Create(seed: 2);
        var source = new AdaBeliefOptimizer([N0, N1], new AdaBeliefOptions { LearningRate = 0.01 });
        float[] p0 = (float[])data.Start0.Clone(), p1 = (float[])data.Start1.Clone();
        for (int step = 0; step < 3; step++)
            data.Apply(source, step, p0, p1);
        AdaBeliefState state = source.ExportState();
        float[] m = state.FirstMoment.ToArray();

        var target = new AdaBeliefOptimizer([N0, N1], new AdaBeliefOptions { LearningRate = 0.01 });
        target.RestoreState(state);
        for (int step = 3; step < 6; step++)
            data.Apply(target, step, p0, p1);

        BitwiseAssert.AreEqual(m, state.FirstMoment.Span, "the restored state object");
        Assert.AreEqual(3L, state.StepCount);
    }

    [TestMethod]
    public void TwoCheckpointsInOneStream_ReadBackInOrder()
    {
        var a = new AdaBeliefOptimizer([2, 3], new AdaBeliefOptions { Amsgrad = true });
        var b = new AdaBeliefOptimizer(4);
        Assert.IsTrue(a.Step(new float[2], [1f, 2f], new float[3], [3f, 4f, 5f]));
        Assert.IsTrue(b.Step(new float[4], [1f, -1f, 0.5f, 0f]));
        b.CompleteEpoch();
        using var stream = new MemoryStream();
        AdaBeliefStateSerializer.Write(a.ExportState(), stream);
        AdaBeliefStateSerializer.Write(b.ExportState(), stream);
        stream.Position = 0;

        BitwiseAssert.StatesEqual(a.ExportState(), AdaBeliefStateSerializer.Read(stream), "first");
        BitwiseAssert.StatesEqual(b.ExportState(), AdaBeliefStateSerializer.Read(stream), "second");
        Assert.AreEqual(stream.Length, stream.Position);
    }

    [TestMethod]
    public void ReadGarbage_ThrowsInvalidData()
    {
        var random = new Random(99);
        var bytes = new byte[256];
        random.NextBytes(bytes);
        Assert.AreNotEqual(0x53424441u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));

        Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(bytes)));
        Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream()));
        Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream("not a checkpoint at all"u8.ToArray())));
    }

    [TestMethod]
    public void ReadWrongTag_ThrowsInvalidDataNamingTag()
    {
        byte[] bytes = SmallCheckpoint();
        bytes[0] ^= 0x20;

        var e = Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(bytes)));

        Assert.Contains("tag", e.Message);
    }

    [TestMethod]
    public void ReadVersion1_TheFormatBeforePerRowCounts_StillReads()
    {
        // Version 1 ended after the moments; version 2 adds one flag byte (no per-row counts here) after them.
        byte[] current = SmallCheckpoint();
        byte[] version1 = current[..^1];
        BinaryPrimitives.WriteInt32LittleEndian(version1.AsSpan(4), 1);

        AdaBeliefState expected = AdaBeliefStateSerializer.Read(new MemoryStream(current));
        AdaBeliefState state = AdaBeliefStateSerializer.Read(new MemoryStream(version1));

        Assert.AreEqual(expected.StepCount, state.StepCount);
        CollectionAssert.AreEqual(expected.SecondMoment.ToArray(), state.SecondMoment.ToArray());
        Assert.IsNull(state.RowStepCounts);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(3)]
    [DataRow(-1)]
    public void ReadWrongVersion_ThrowsInvalidDataNamingVersion(int version)
    {
        byte[] bytes = SmallCheckpoint();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), version);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(bytes)));

        Assert.Contains($"version {version}", e.Message);
    }

    [TestMethod]
    public void ReadTruncated_ThrowsInvalidDataAtEveryLength()
    {
        byte[] bytes = SmallCheckpoint();
        Assert.IsNotNull(AdaBeliefStateSerializer.Read(new MemoryStream(bytes)));

        for (int length = 0; length < bytes.Length; length++)
        {
            var stream = new MemoryStream(bytes, 0, length);
            Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(stream), $"cut at {length} of {bytes.Length} bytes");
        }
    }

    [TestMethod]
    public void ReadHeaderClaimingHugeTensor_ThrowsBeforeAllocating()
    {
        // A damaged length field claiming ~2 billion floats: the reader compares it with the bytes that follow.
        byte[] bytes = SmallCheckpoint();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), int.MaxValue / 2);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(bytes)));

        Assert.Contains("bytes follow", e.Message);
        Assert.IsLessThan(1L << 20, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void ReadNegativeCounts_ThrowsInvalidData()
    {
        // Header: tag (4), version (4), tensor count (4), lengths (4 each), step, epoch, skipped counts (8 each).
        byte[] bytes = SmallCheckpoint();
        byte[] noTensors = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(noTensors.AsSpan(8), 0);
        byte[] negativeLength = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(negativeLength.AsSpan(12), -3);
        byte[] negativeSteps = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(negativeSteps.AsSpan(20), -1);

        Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(noTensors)));
        Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(negativeLength)));
        Assert.ThrowsExactly<InvalidDataException>(() => AdaBeliefStateSerializer.Read(new MemoryStream(negativeSteps)));
    }

    [TestMethod]
    public void RestoreStateOfOtherTensorLengths_ThrowsAndChangesNothing()
    {
        var source = new AdaBeliefOptimizer([N0, N1]);
        Assert.IsTrue(source.Step(new float[N0], Enumerable.Repeat(1f, N0).ToArray(), new float[N1], Enumerable.Repeat(-1f, N1).ToArray()));
        AdaBeliefState state = source.ExportState();

        foreach (int[] lengths in new[] { new[] { N0, N1 - 1 }, new[] { N1, N0 }, new[] { N0 + N1 }, new[] { N0, N1, 0 } })
        {
            var target = new AdaBeliefOptimizer(lengths);
            float[][] p = lengths.Select(n => new float[n]).ToArray();
            Snapshot before = Snapshot.Of(target, p);

            var e = Assert.ThrowsExactly<ArgumentException>(() => target.RestoreState(state), string.Join(",", lengths));

            Assert.AreEqual("state", e.ParamName);
            before.AssertUnchanged(target, p);
        }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void RestoreStateWithAmsgradMismatch_Throws(bool savedWithAmsgrad)
    {
        var source = new AdaBeliefOptimizer(5, new AdaBeliefOptions { Amsgrad = savedWithAmsgrad });
        Assert.IsTrue(source.Step(new float[5], [1f, 2f, 3f, 4f, 5f]));
        var target = new AdaBeliefOptimizer(5, new AdaBeliefOptions { Amsgrad = !savedWithAmsgrad });

        var e = Assert.ThrowsExactly<ArgumentException>(() => target.RestoreState(source.ExportState()));

        Assert.AreEqual("state", e.ParamName);
        Assert.Contains("Amsgrad", e.Message);
        Assert.AreEqual(0L, target.StepCount);
    }

    [TestMethod]
    [DataRow("defaults")]
    [DataRow("amsgrad")]
    [DataRow("rectify+nesterov+decoupled+clipnorm")]
    [DataRow("fixed rate per epoch")]
    [DataRow("halving per epoch")]
    [DataRow("halving per step")]
    [DataRow("skip policy")]
    public void Reset_BehavesLikeNewOptimizer(string name)
    {
        AdaBeliefOptions options = OptionSet(name);
        TrainingData data = TrainingData.Create(seed: 3);
        var used = new AdaBeliefOptimizer([N0, N1], options);
        float[] p0 = (float[])data.Start0.Clone(), p1 = (float[])data.Start1.Clone();
        for (int step = 0; step < 10; step++)
            data.Apply(used, step, p0, p1);

        used.Reset();

        Assert.AreEqual(0L, used.StepCount);
        Assert.AreEqual(0L, used.EpochCount);
        Assert.AreEqual(0L, used.SkippedStepCount);
        var fresh = new AdaBeliefOptimizer([N0, N1], options);
        BitwiseAssert.StatesEqual(fresh.ExportState(), used.ExportState(), $"{name}: right after Reset");
        Assert.AreEqual(fresh.CurrentLearningRate, used.CurrentLearningRate);
        float[] a0 = (float[])data.Start0.Clone(), a1 = (float[])data.Start1.Clone();
        float[] b0 = (float[])data.Start0.Clone(), b1 = (float[])data.Start1.Clone();
        for (int step = 0; step < 12; step++)
        {
            data.Apply(used, step, a0, a1);
            data.Apply(fresh, step, b0, b1);
        }

        BitwiseAssert.AreEqual(b0, a0, $"{name}: tensor 0");
        BitwiseAssert.AreEqual(b1, a1, $"{name}: tensor 1");
        BitwiseAssert.StatesEqual(fresh.ExportState(), used.ExportState(), $"{name}: after training again");
    }

    private static byte[] SmallCheckpoint()
    {
        var optimizer = new AdaBeliefOptimizer([3, 2], new AdaBeliefOptions { Amsgrad = true });
        Assert.IsTrue(optimizer.Step(new float[3], [1f, -2f, 3f], new float[2], [0.5f, 4f]));
        optimizer.CompleteEpoch();
        using var stream = new MemoryStream();
        AdaBeliefStateSerializer.Write(optimizer.ExportState(), stream);
        return stream.ToArray();
    }

    /// <summary>A schedule that halves the rate every count, so a wrong counter after a restore shows in the result.</summary>
    private sealed class HalvingRate(double baseRate) : LearningRateSchedule
    {
        public override double BaseLearningRate => baseRate;

        public override double GetLearningRate(long count) => baseRate * Math.Pow(0.5, count);
    }

    /// <summary>Starting parameters and the gradients of 20 steps; epochs end every 4 steps; steps 3 and 13 are NaN.</summary>
    private sealed class TrainingData
    {
        private readonly float[][] _gradients0;
        private readonly float[][] _gradients1;

        private TrainingData(float[] start0, float[] start1, float[][] gradients0, float[][] gradients1)
        {
            Start0 = start0;
            Start1 = start1;
            _gradients0 = gradients0;
            _gradients1 = gradients1;
        }

        public float[] Start0 { get; }

        public float[] Start1 { get; }

        public static TrainingData Create(int seed)
        {
            var random = new Random(seed);
            return new TrainingData(
                KernelAgreementTests.RandomArray(random, N0, 1f),
                KernelAgreementTests.RandomArray(random, N1, 1f),
                Enumerable.Range(0, 20).Select(_ => KernelAgreementTests.RandomGradient(random, N0)).ToArray(),
                Enumerable.Range(0, 20).Select(_ => KernelAgreementTests.RandomGradient(random, N1)).ToArray());
        }

        /// <summary>
        /// Step number <paramref name="step"/> of the run. Under SkipStep, steps 3 and 13 offer a gradient with a NaN
        /// instead, which is skipped: such a run applies 18 of its 20 steps and counts 2 skipped.
        /// </summary>
        public void Apply(AdaBeliefOptimizer optimizer, int step, float[] p0, float[] p1)
        {
            bool skipping = optimizer.Options.NonFiniteGradients == NonFiniteGradientPolicy.SkipStep;
            if (skipping && (step == 3 || step == 13))
            {
                float[] bad = (float[])_gradients1[step].Clone();
                bad[step] = float.NaN;
                Assert.IsFalse(optimizer.Step(p0, _gradients0[step], p1, bad));
            }
            else
            {
                Assert.IsTrue(optimizer.Step(p0, _gradients0[step], p1, _gradients1[step]));
            }

            if (step % 4 == 3)
                optimizer.CompleteEpoch();
        }
    }
}
