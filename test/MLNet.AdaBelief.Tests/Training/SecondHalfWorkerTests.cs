using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// A block larger than the cache has each batch's second half computed on another core; the weights must be the bits
/// one thread computes, and an error in the worker's half must reach the caller.
/// </summary>
[TestClass]
public sealed class SecondHalfWorkerTests
{
    // 24,000 rows of 100 features: a 9.6 MB block, above the size at which the worker starts.
    private const int Rows = 24_000, Features = 100;

    private static TestRows Large(int seed, Func<Random, float[], float> label) =>
        TrainingTestData.Random(seed, Rows, Features, label, zeroShare: 0.05);

    [TestMethod]
    [DataRow("Squared", 0, 400)]
    [DataRow("Squared", 0, 331)] // odd batches: the first half is the larger
    [DataRow("Logistic", 0, 512)]
    [DataRow("SoftmaxCrossEntropy", 3, 120)]
    public void WorkerAndOneThread_GiveBitIdenticalWeights(string lossName, int classes, int batchSize)
    {
        LinearModelLoss loss = Enum.Parse<LinearModelLoss>(lossName);
        var block = new RowBlock(new RowStore(Features, sparse: false), new int[Rows]);
        Assert.AreEqual(Environment.ProcessorCount > 1, SecondHalfWorker.WorthStarting(block, batchSize, Math.Max(1, classes)), "the worker runs for these batches");
        TestRows data = Large(4, (r, x) => loss switch
        {
            LinearModelLoss.Squared => x[0] - 2 * x[5] + (float)r.NextDouble(),
            LinearModelLoss.Logistic => x[0] + x[1] > 0 ? 1 : 0,
            _ => r.Next(classes),
        });
        InMemoryTrainingRows rows = data.Rows();

        LinearTrainingResult Train(bool secondCore) => new LinearModelTrainer(
            LinearLosses.Create(loss, classes),
            new LinearTrainerSettings { Epochs = 2, BatchSize = batchSize, Seed = 5, ShuffleBlockSize = Rows, UseSecondCore = secondCore },
            new AdaBeliefOptions { LearningRate = 0.01 }).Train(rows);

        LinearTrainingResult withWorker = Train(secondCore: true), alone = Train(secondCore: false);

        CollectionAssert.AreEqual(alone.Model.Weights, withWorker.Model.Weights);
        CollectionAssert.AreEqual(alone.Model.Biases, withWorker.Model.Biases);
        CollectionAssert.AreEqual(alone.History.Select(p => p.TrainingLoss).ToArray(), withWorker.History.Select(p => p.TrainingLoss).ToArray());
    }

    [TestMethod]
    public void InvalidLabelInTheWorkersHalf_IsReportedToTheCaller()
    {
        TestRows data = Large(6, (r, x) => x[0] > 0 ? 1 : 0);
        data.Labels[81] = 3f; // not a logistic label, though the store takes any finite one; in the first batch's second half
        var trainer = new LinearModelTrainer(
            LinearLosses.Create(LinearModelLoss.Logistic),
            new LinearTrainerSettings { Epochs = 1, BatchSize = 128, Shuffle = false, ShuffleBlockSize = Rows },
            new AdaBeliefOptions { LearningRate = 0.01 });

        var error = Assert.ThrowsExactly<ArgumentException>(() => trainer.Train(data.Rows()));
        StringAssert.Contains(error.Message, "Row 81 has label 3");
    }
}
