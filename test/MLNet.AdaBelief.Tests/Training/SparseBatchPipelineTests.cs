using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// Sparse batches are prepared (each nonzero's feature, scaled value and gradient slot) ahead of the loops that use
/// them, and their gradients scattered, on another core: the prepared batch and the gradient must be what the rows
/// say, whoever made them, and the model the same bits with or without the second core.
/// </summary>
[TestClass]
public sealed class SparseBatchPipelineTests
{
    [TestMethod]
    public void Prepare_GivesEachNonzerosFeatureScaledValueAndSlot_InFirstSightOrder()
    {
        var store = new RowStore(5, sparse: true);
        store.AddSparseRow([0, 2], [1f, 2f], 5, label: 1f);
        store.AddSparseRow([2, 4], [3f, -1f], 5, label: 0f);
        store.AddSparseRow([], [], 5, label: 1f);
        store.AddSparseRow([4], [5f], 5, label: 0f);
        var scaling = new FeatureScaling(null, [1, 1, 2, 1, 4]);
        int[] slotOf = Enumerable.Repeat(-1, 5).ToArray();
        var batch = new PreparedSparseBatch();

        int[] visitOrder = [3, 0, 1, 2];
        batch.Prepare(store, visitOrder, [], scaling.RawFactor, slotOf);

        float[] factor = scaling.RawFactor.ToArray();
        Expect(batch.Present, 4, 0, 2); // the order features first appear in
        Expect(batch.Features(0), 4);
        Expect(batch.Features(1), 0, 2);
        Expect(batch.Features(2), 2, 4);
        Assert.AreEqual(0, batch.Features(3).Length, "a row without nonzeros");
        Expect(batch.Slots(0), 0);
        Expect(batch.Slots(1), 1, 2);
        Expect(batch.Slots(2), 2, 0);
        Expect(batch.Scaled(0), 5f * factor[4]);
        Expect(batch.Scaled(1), 1f * factor[0], 2f * factor[2]);
        Expect(batch.Scaled(2), 3f * factor[2], -1f * factor[4]);
        Assert.IsTrue(slotOf.All(slot => slot == -1), "the slot map is left clear for the next batch");
    }

    [TestMethod]
    public void Prepare_ManyFeaturesAndNonzeros_GrowsItsBuffers_AndWithoutFactorsCopiesTheValues()
    {
        // More distinct features and nonzeros than the batch first has room for, repeats among them; once with every
        // factor given as 1 and once with none given (the values copied): the same batch, bit for bit.
        const int Features = 3000;
        var store = new RowStore(Features, sparse: true);
        var random = new Random(4);
        for (int r = 0; r < 40; r++)
        {
            int[] indices = [.. Enumerable.Range(0, Features).Where(_ => random.NextDouble() < 0.05)];
            float[] values = [.. indices.Select(_ => (float)random.NextDouble() - 0.5f)];
            store.AddSparseRow(indices, values, Features, label: r % 2);
        }

        int[] order = [.. Enumerable.Range(0, 40).Reverse()];
        float[] ones = [.. Enumerable.Repeat(1f, Features)];
        int[] slotOf = [.. Enumerable.Repeat(-1, Features)];
        var withOnes = new PreparedSparseBatch();
        var withoutFactors = new PreparedSparseBatch();
        withOnes.Prepare(store, order, [], ones, slotOf);
        withoutFactors.Prepare(store, order, [], default, slotOf);

        int[] firstSight = [.. order.SelectMany(row => store.SparseIndices(row).ToArray()).Distinct()];
        Assert.IsGreaterThan(1024, withOnes.NonzeroCount);
        CollectionAssert.AreEqual(firstSight, withOnes.Present.ToArray());
        CollectionAssert.AreEqual(firstSight, withoutFactors.Present.ToArray());
        for (int position = 0; position < order.Length; position++)
        {
            int row = order[position];
            CollectionAssert.AreEqual(store.SparseIndices(row).ToArray(), withoutFactors.Features(position).ToArray());
            CollectionAssert.AreEqual(store.SparseValues(row).ToArray(), withoutFactors.Scaled(position).ToArray());
            CollectionAssert.AreEqual(withOnes.Scaled(position).ToArray(), withoutFactors.Scaled(position).ToArray());
            CollectionAssert.AreEqual(
                store.SparseIndices(row).ToArray().Select(j => Array.IndexOf(firstSight, j)).ToArray(), withoutFactors.Slots(position).ToArray());
        }

        Assert.IsTrue(slotOf.All(slot => slot == -1), "the slot map is left clear for the next batch");
    }

    private static void Expect<T>(ReadOnlySpan<T> actual, params T[] expected) => CollectionAssert.AreEqual(expected, actual.ToArray());

    [TestMethod]
    [DataRow(false, 1)]
    [DataRow(true, 1)]
    [DataRow(true, 6)] // a batch's gradient large enough to be scattered on the other core
    public void Begin_HandsOutWhatPreparingHereGives_AndTheGradientIsTheRowsCoefficientsTimesTheirValues(bool otherCore, int outputs)
    {
        const int Rows = 300, Features = 60, BatchSize = 64;
        TestRows data = TrainingTestData.Random(3, Rows, Features, (r, x) => 0f, zeroShare: 0.1);
        using RowStore store = data.Store(sparse: true);
        var scaling = new FeatureScaling(null, Enumerable.Range(0, Features).Select(j => 1.0 + (j % 4)).ToArray());
        int[] order = Enumerable.Range(0, Rows).Select(i => (i * 37) % Rows).ToArray();
        Assert.AreEqual(outputs > 1, BatchSize * 50 * outputs >= SparseBatchPipeline.MinimumScatterValues, "the batches' gradients go where the case says");
        using var pipeline = new SparseBatchPipeline(scaling, outputs, otherCore);

        // The batch at 128 is skipped, as the loop skips a batch of weight 0: the batch prepared ahead for it is not used.
        foreach (int start in new[] { 0, 64, 192, 256 })
        {
            int count = Math.Min(BatchSize, order.Length - start);
            ReadOnlyMemory<int> ahead = order.AsMemory(start + count);
            PreparedSparseBatch taken = pipeline.Begin(store, order.AsMemory(start, count), ahead, Math.Min(BatchSize, ahead.Length));

            var expected = new PreparedSparseBatch();
            expected.Prepare(store, order.AsMemory(start, count), [], scaling.RawFactor, Enumerable.Repeat(-1, Features).ToArray());
            Assert.IsTrue(taken.Holds(store, order.AsMemory(start, count)), $"batch at {start}");
            CollectionAssert.AreEqual(expected.Present.ToArray(), taken.Present.ToArray(), $"batch at {start}");
            var gradient = new float[expected.PresentCount * outputs];
            for (int position = 0; position < count; position++)
            {
                CollectionAssert.AreEqual(expected.Features(position).ToArray(), taken.Features(position).ToArray());
                CollectionAssert.AreEqual(expected.Scaled(position).ToArray(), taken.Scaled(position).ToArray());
                CollectionAssert.AreEqual(expected.Slots(position).ToArray(), taken.Slots(position).ToArray());

                // Each row's coefficients, and the gradient they give added here row by row, nonzero by nonzero.
                Span<float> coefficients = pipeline.RowCoefficients(position);
                for (int k = 0; k < outputs; k++)
                    coefficients[k] = (0.25f * position) - k;
                for (int n = 0; n < expected.Slots(position).Length; n++)
                {
                    int slot = expected.Slots(position)[n];
                    float value = expected.Scaled(position)[n];
                    if (outputs == 1)
                        gradient[slot] += coefficients[0] * value; // one multiply and one add, as the single-output loop always has
                    else
                        DenseRowMath.AddScaled(coefficients, value, gradient.AsSpan(slot * outputs, outputs));
                }
                pipeline.RowScored(position);
            }

            CollectionAssert.AreEqual(gradient, pipeline.FinishGradient().ToArray(), $"batch at {start}");
        }

        pipeline.Settle();
    }

    [TestMethod]
    public void AnErrorWhileTheOtherCoreScatters_IsReported_AndNothingWaitsForever()
    {
        // Six classes and nearly dense rows: each batch's gradient is scattered on the other core while rows are scored.
        TestRows data = TrainingTestData.Random(6, rows: 400, features: 60, (r, x) => r.Next(6), zeroShare: 0.05);
        data.Labels[70] = 9f; // not one of the six classes, though the store takes any finite label; in the second batch
        var trainer = new LinearModelTrainer(
            LinearLosses.Create(LinearModelLoss.SoftmaxCrossEntropy, 6),
            new LinearTrainerSettings { Epochs = 1, BatchSize = 64, Shuffle = false },
            new AdaBeliefOptions { LearningRate = 0.01 });

        var error = Assert.ThrowsExactly<ArgumentException>(() => trainer.Train(data.Rows(sparse: true)));
        StringAssert.Contains(error.Message, "70");
    }

    [TestMethod]
    [DataRow("Logistic", 0, 16)]
    [DataRow("Logistic", 0, 7)]
    [DataRow("SoftmaxCrossEntropy", 5, 16)]
    [DataRow("SoftmaxCrossEntropy", 6, 64)] // gradients scattered on the other core
    [DataRow("Squared", 0, 10)]
    public void SecondCoreAndOneThread_GiveBitIdenticalWeights(string lossName, int classes, int batchSize)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = TrainingTestData.Random(8, rows: 700, features: 60, (r, x) => loss switch
        {
            LinearModelLoss.Squared => x[0] - 2 * x[5] + (float)r.NextDouble(),
            LinearModelLoss.Logistic => x[0] + x[1] > 0 ? 1 : 0,
            _ => r.Next(classes),
        }, zeroShare: batchSize == 64 ? 0.05 : 0.9);
        for (int i = 2 * batchSize; i < 3 * batchSize; i++)
            data.Weights[i] = 0f; // the third batch of the first epoch (in stored order) weighs nothing and is skipped

        LinearTrainingResult Train(bool secondCore, bool shuffle) => new LinearModelTrainer(
            LinearLosses.Create(loss, classes),
            new LinearTrainerSettings { Epochs = 3, BatchSize = batchSize, Seed = 5, Shuffle = shuffle, ShuffleBlockSize = 256, UseSecondCore = secondCore },
            new AdaBeliefOptions { LearningRate = 0.05 }).Train(data.Rows(sparse: true));

        foreach (bool shuffle in new[] { false, true })
        {
            LinearTrainingResult withSecondCore = Train(secondCore: true, shuffle), alone = Train(secondCore: false, shuffle);

            CollectionAssert.AreEqual(alone.Model.Weights, withSecondCore.Model.Weights);
            CollectionAssert.AreEqual(alone.Model.Biases, withSecondCore.Model.Biases);
            CollectionAssert.AreEqual(alone.History.Select(p => p.TrainingLoss).ToArray(), withSecondCore.History.Select(p => p.TrainingLoss).ToArray());
        }
    }

    [TestMethod]
    public void LargeLazySteps_TakenInChunksOnBothCores_GiveTheBitsOfOneThread()
    {
        // 12 classes, 5,000 features, about 100 nonzeros a row: a batch of 64 rows holds some 3,600 features, whose
        // 43,000 coordinates make a step large enough to be cut into chunks that the pipeline's core helps with.
        const int Classes = 12, BatchSize = 64;
        TestRows data = TrainingTestData.Random(9, rows: 600, features: 5_000, (r, x) => r.Next(Classes), zeroShare: 0.98);
        using (RowStore store = data.Store(sparse: true))
        {
            int present = Enumerable.Range(0, BatchSize).SelectMany(row => store.SparseIndices(row).ToArray()).Distinct().Count();
            Assert.IsTrue(new AdaBeliefOptimizer(1).SparseParallelThreshold <= (long)present * Classes, $"{present} features a batch");
        }

        LinearTrainingResult Train(bool secondCore, int cores) => new LinearModelTrainer(
            LinearLosses.Create(LinearModelLoss.SoftmaxCrossEntropy, Classes),
            new LinearTrainerSettings { Epochs = 2, BatchSize = BatchSize, Seed = 5, UseSecondCore = secondCore },
            new AdaBeliefOptions { LearningRate = 0.05, SparseStepCount = SparseStepCount.PerRow, MaxDegreeOfParallelism = cores }).Train(data.Rows(sparse: true));

        LinearTrainingResult alone = Train(secondCore: false, cores: 1);
        foreach ((bool secondCore, int cores) in new[] { (true, -1), (false, -1) }) // the pipeline's core helps; a thread-pool thread helps
        {
            LinearTrainingResult chunked = Train(secondCore, cores);
            CollectionAssert.AreEqual(alone.Model.Weights, chunked.Model.Weights, $"second core {secondCore}");
            CollectionAssert.AreEqual(alone.Model.Biases, chunked.Model.Biases);
            CollectionAssert.AreEqual(alone.History.Select(p => p.TrainingLoss).ToArray(), chunked.History.Select(p => p.TrainingLoss).ToArray());
        }
    }
}
