using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>The seeded block order, and a streaming source built on it training the same model as the in-memory rows.</summary>
[TestClass]
public sealed class BlockOrderTests
{
    [TestMethod]
    public void EachBlock_IsAPermutationOfItsRows_ThatChangesWithSeedAndEpoch()
    {
        var order = new int[1000];
        BlockShuffle.FillOrder(order, 5000, new EpochPlan(1, 0, true, 1000), blockIndex: 5);
        CollectionAssert.AreEquivalent(Enumerable.Range(5000, 1000).ToArray(), order);
        CollectionAssert.AreNotEqual(Enumerable.Range(5000, 1000).ToArray(), order);

        var otherEpoch = new int[1000];
        BlockShuffle.FillOrder(otherEpoch, 5000, new EpochPlan(1, 1, true, 1000), blockIndex: 5);
        CollectionAssert.AreNotEqual(order, otherEpoch);

        var unshuffled = new int[10];
        BlockShuffle.FillOrder(unshuffled, 3, new EpochPlan(1, 0, false, 10), blockIndex: 0);
        CollectionAssert.AreEqual(Enumerable.Range(3, 10).ToArray(), unshuffled);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void StreamingSource_TrainsBitIdenticalModel(bool sparse)
    {
        TestRows data = TrainingTestData.Random(3, rows: 350, features: 5, (r, x) => x[0] - 2 * x[1] + (float)r.NextDouble());
        var settings = new LinearTrainerSettings { Epochs = 4, BatchSize = 16, ShuffleBlockSize = 100, Seed = 9 };
        var trainer = new LinearModelTrainer(LinearLosses.Create(LinearModelLoss.Squared), settings, new AdaBeliefOptions { LearningRate = 0.05 });

        LinearModelWeights inMemory = trainer.Train(data.Rows(sparse)).Model;
        LinearModelWeights streamed = trainer.Train(new StreamingRows(data, sparse)).Model;

        CollectionAssert.AreEqual(inMemory.Weights, streamed.Weights);
        CollectionAssert.AreEqual(inMemory.Biases, streamed.Biases);
    }

    /// <summary>
    /// What a source re-reading an IDataView will do: read one block of rows at a time into a reused store, in stored
    /// order, and shuffle only that block.
    /// </summary>
    internal sealed class StreamingRows(TestRows data, bool sparse) : ITrainingRows
    {
        public int FeatureCount => data.FeatureCount;

        public bool IsSparse => sparse;

        public IEnumerable<RowBlock> ReadEpoch(EpochPlan plan)
        {
            var buffer = new RowStore(data.FeatureCount, sparse);
            int[] order = new int[plan.BlockSize];
            int cursor = 0;
            for (long block = 0; cursor < data.Count; block++)
            {
                buffer.Clear();
                while (buffer.RowCount < plan.BlockSize && cursor < data.Count)
                {
                    float[] x = data.Features[cursor];
                    int[] indices = Enumerable.Range(0, x.Length).Where(j => x[j] != 0).ToArray();
                    buffer.AddSparseRow(indices, indices.Select(j => x[j]).ToArray(), x.Length, data.Labels[cursor], data.Weights[cursor]);
                    cursor++;
                }

                BlockShuffle.FillOrder(order.AsSpan(0, buffer.RowCount), 0, plan, block);
                yield return new RowBlock(buffer, order.AsMemory(0, buffer.RowCount));
            }
        }
    }
}
