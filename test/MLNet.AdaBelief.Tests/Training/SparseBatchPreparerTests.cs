using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// Sparse batches are prepared (each nonzero's feature, scaled value and gradient slot) ahead of the loops that use
/// them, the next one on another core: the prepared batch must be what the rows say, whoever prepared it, and the model
/// the same bits with or without the second core.
/// </summary>
[TestClass]
public sealed class SparseBatchPreparerTests
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

    private static void Expect<T>(ReadOnlySpan<T> actual, params T[] expected) => CollectionAssert.AreEqual(expected, actual.ToArray());

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Take_HandsOutWhatPreparingOnTheCallingThreadGives_AlsoAfterASkippedBatch(bool secondCore)
    {
        TestRows data = TrainingTestData.Random(3, rows: 90, features: 30, (r, x) => 0f, zeroShare: 0.8);
        RowStore store = data.Store(sparse: true);
        var scaling = new FeatureScaling(null, Enumerable.Range(0, 30).Select(j => 1.0 + (j % 4)).ToArray());
        int[] order = Enumerable.Range(0, 90).Select(i => (i * 37) % 90).ToArray();
        const int BatchSize = 8;
        using var preparer = new SparseBatchPreparer(scaling, secondCore);

        // Batch 3 is skipped, as the loop skips a batch of weight 0: the batch prepared ahead for it is not handed out.
        foreach (int start in new[] { 0, 8, 16, 32, 40, 48, 56, 64, 72, 80, 88 })
        {
            int count = Math.Min(BatchSize, order.Length - start);
            ReadOnlyMemory<int> ahead = order.AsMemory(start + count);
            PreparedSparseBatch taken = preparer.Take(store, order.AsMemory(start, count), ahead, Math.Min(BatchSize, ahead.Length));

            var expected = new PreparedSparseBatch();
            expected.Prepare(store, order.AsMemory(start, count), [], scaling.RawFactor, Enumerable.Repeat(-1, 30).ToArray());
            Assert.IsTrue(taken.Holds(store, order.AsMemory(start, count)), $"batch at {start}");
            CollectionAssert.AreEqual(expected.Present.ToArray(), taken.Present.ToArray(), $"batch at {start}");
            for (int position = 0; position < count; position++)
            {
                CollectionAssert.AreEqual(expected.Features(position).ToArray(), taken.Features(position).ToArray());
                CollectionAssert.AreEqual(expected.Scaled(position).ToArray(), taken.Scaled(position).ToArray());
                CollectionAssert.AreEqual(expected.Slots(position).ToArray(), taken.Slots(position).ToArray());
            }
        }

        Assert.IsNull(preparer.Collect(), "the last batch of the block posts nothing ahead");
    }

    [TestMethod]
    [DataRow("Logistic", 0, 16)]
    [DataRow("Logistic", 0, 7)]
    [DataRow("SoftmaxCrossEntropy", 5, 16)]
    [DataRow("Squared", 0, 10)]
    public void SecondCoreAndOneThread_GiveBitIdenticalWeights(string lossName, int classes, int batchSize)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        TestRows data = TrainingTestData.Random(8, rows: 700, features: 60, (r, x) => loss switch
        {
            LinearModelLoss.Squared => x[0] - 2 * x[5] + (float)r.NextDouble(),
            LinearModelLoss.Logistic => x[0] + x[1] > 0 ? 1 : 0,
            _ => r.Next(classes),
        }, zeroShare: 0.9);
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
}
