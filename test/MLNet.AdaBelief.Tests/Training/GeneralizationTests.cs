using Microsoft.ML;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Training;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The generalization tools of the training layer: the held-out split, the data-size-aware L2 rule and the average of
/// the iterates.
/// </summary>
[TestClass]
public sealed class GeneralizationTests
{
    [TestMethod]
    public void HoldoutSplit_IsDeterministic_NearItsFraction_AndChangesWithTheSeed()
    {
        var split = new HoldoutSplit(0.1, Seed: 5);
        bool[] first = [.. Enumerable.Range(0, 20_000).Select(r => split.IsHeldOut(r))];
        bool[] again = [.. Enumerable.Range(0, 20_000).Select(r => new HoldoutSplit(0.1, 5).IsHeldOut(r))];
        bool[] otherSeed = [.. Enumerable.Range(0, 20_000).Select(r => new HoldoutSplit(0.1, 6).IsHeldOut(r))];

        CollectionAssert.AreEqual(first, again);
        CollectionAssert.AreNotEqual(first, otherSeed);
        int heldOut = first.Count(h => h);
        Assert.IsTrue(heldOut is > 1_800 and < 2_200, $"{heldOut} of 20,000 held out at fraction 0.1");
        Assert.AreEqual(20_000 - heldOut, split.CountTrainingRows(20_000));
        Assert.IsFalse(Enumerable.Range(0, 1000).Any(r => new HoldoutSplit(0, 5).IsHeldOut(r)), "fraction 0 holds out nothing");
    }

    [TestMethod]
    [DataRow(7)]
    [DataRow(100)]
    [DataRow(1000)]
    public void HoldoutRows_AreDisjointAndComplete_AndTheSameRowsForAnyBlockSizeAndEpoch(int blockSize)
    {
        TestRows data = TrainingTestData.Random(4, rows: 523, features: 3, (r, x) => x[0]);
        using InMemoryTrainingRows rows = data.Rows();
        var split = new HoldoutSplit(0.2, Seed: 11);
        int[] expectedHeldOut = [.. Enumerable.Range(0, 523).Where(r => split.IsHeldOut(r))];

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var plan = new EpochPlan(9, epoch, Shuffle: true, blockSize);
            int[] kept = Read(new HoldoutTrainingRows(rows, split, heldOut: false), plan);
            int[] heldOut = Read(new HoldoutTrainingRows(rows, split, heldOut: true), plan);

            CollectionAssert.AreEquivalent(expectedHeldOut, heldOut);
            Assert.AreEqual(0, kept.Intersect(heldOut).Count());
            CollectionAssert.AreEquivalent(Enumerable.Range(0, 523).ToArray(), kept.Concat(heldOut).ToArray());
        }
    }

    [TestMethod]
    public void HoldoutSteps_CountTheBatchesTheTrainerCuts()
    {
        TestRows data = TrainingTestData.Random(4, rows: 1000, features: 3, (r, x) => x[0]);
        using InMemoryTrainingRows rows = data.Rows();
        var split = new HoldoutSplit(0.15, Seed: 2);
        const int BlockSize = 300, BatchSize = 16;

        long batches = 0;
        foreach (RowBlock block in new HoldoutTrainingRows(rows, split, heldOut: false).ReadEpoch(new EpochPlan(1, 0, true, BlockSize)))
            batches += (block.Order.Length + BatchSize - 1) / BatchSize;

        Assert.AreEqual(batches, split.CountTrainingSteps(1000, BlockSize, BatchSize));
    }

    [TestMethod]
    public void HoldoutRows_ReadStreamedOrInMemory_TrainBitIdenticalModels()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Regression(1037, seed: 11));
        TrainingColumns columns = TrainingColumns.Resolve(data.Schema, "Label", "Features", null, LabelKind.Real);
        using LoadedTrainingData loaded = TrainingDataLoader.Load(data, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        var streamed = new DataViewTrainingRows(data, columns, sparse: false);

        var settings = new LinearTrainerSettings { Epochs = 6, BatchSize = 16, Seed = 21, ShuffleBlockSize = 97, HoldoutFraction = 0.1, EarlyStoppingPatience = 2 };
        var options = new AdaBeliefOptions { LearningRate = 0.05 };
        LinearTrainingResult fromMemory = new LinearModelTrainer(LinearLosses.Create(LinearModelLoss.Squared), settings, options).Train(loaded.Rows);
        LinearTrainingResult fromStream = new LinearModelTrainer(LinearLosses.Create(LinearModelLoss.Squared), settings, options).Train(streamed);

        CollectionAssert.AreEqual(fromMemory.Model.Weights, fromStream.Model.Weights);
        CollectionAssert.AreEqual(fromMemory.Model.Biases, fromStream.Model.Biases);
        CollectionAssert.AreEqual(
            fromMemory.History.Select(p => (p.TrainingLoss, p.ValidationLoss)).ToArray(),
            fromStream.History.Select(p => (p.TrainingLoss, p.ValidationLoss)).ToArray());
        Assert.IsTrue(fromMemory.History.All(p => p.ValidationLoss is not null), "the held-out rows are measured every epoch");
    }

    [TestMethod]
    public void DataSizeL2_IsTheSummedLossStrengthOverTheRows_FadingWithFewerFeaturesThanRows()
    {
        Assert.AreEqual(1.0 / 250, DataSizeL2.WeightDecay(1, rows: 250, features: 10_000), 1e-15, "d ≥ n: c/n");
        Assert.AreEqual(2.0 / 250, DataSizeL2.WeightDecay(2, rows: 250, features: 250), 1e-15, "d = n: c/n");
        Assert.AreEqual(1.0 * (4.0 / 120) / 120, DataSizeL2.WeightDecay(1, rows: 120, features: 4), 1e-15, "d < n: c·(d/n)/n");
        Assert.IsTrue(DataSizeL2.WeightDecay(1, rows: 1_000_000, features: 100) < 1e-9, "large dense data: nothing");
        Assert.AreEqual(0, DataSizeL2.WeightDecay(0, 250, 10_000));
        Assert.AreEqual(0, DataSizeL2.WeightDecay(1, 0, 10));
    }

    [TestMethod]
    public void IterateAverage_IsTheMeanOfTheIteratesFromItsFirstEpoch()
    {
        var average = new IterateAverage(weightCount: 2, biasCount: 1, firstEpoch: 3);
        Assert.IsFalse(average.Add(1, [100f, 100f], [100f]));
        Assert.IsFalse(average.Add(2, [100f, 100f], [100f]));
        Assert.IsTrue(average.Add(3, [1f, -2f], [0.5f]));
        Assert.IsTrue(average.Add(4, [3f, -4f], [1.5f]));
        Assert.IsTrue(average.Add(5, [5f, 0f], [1f]));

        Assert.AreEqual(3, average.Count);
        Assert.AreEqual(3f, average.Weights[0]);
        Assert.AreEqual(-2f, average.Weights[1]);
        Assert.AreEqual(1f, average.Biases[0]);
        Assert.AreEqual(1, IterateAverage.TailStart(1), "one epoch keeps its iterate");
        Assert.AreEqual(6, IterateAverage.TailStart(10));
    }

    [TestMethod]
    public void AveragedTraining_ReturnsTheMeanOfTheEndOfEpochModels()
    {
        // Without a schedule the run of e epochs ends where epoch e of a longer run ends, so the iterates are the
        // models of runs of 1..6 epochs; without scaling, the raw model is the optimizer's parameters.
        TestRows data = TrainingTestData.Random(3, rows: 200, features: 4, (r, x) => x[0] - 2 * x[1] + (float)r.NextDouble());
        using InMemoryTrainingRows rows = data.Rows();
        LinearModelWeights Train(int epochs, int? averageFrom) =>
            new LinearModelTrainer(
                LinearLosses.Create(LinearModelLoss.Squared),
                new LinearTrainerSettings { Epochs = epochs, BatchSize = 16, Seed = 4, ScaleFeatures = false, AverageFromEpoch = averageFrom },
                new AdaBeliefOptions { LearningRate = 0.05 }).Train(rows).Model;

        LinearModelWeights[] iterates = [.. Enumerable.Range(4, 3).Select(e => Train(e, null))];
        LinearModelWeights averaged = Train(6, averageFrom: 4);

        for (int j = 0; j < 4; j++)
            Assert.AreEqual(iterates.Average(m => m.Weights[j]), averaged.Weights[j], 1e-6);
        Assert.AreEqual(iterates.Average(m => m.Biases[0]), averaged.Biases[0], 1e-6);
        CollectionAssert.AreNotEqual(Train(6, null).Weights, averaged.Weights);
    }

    private static int[] Read(HoldoutTrainingRows rows, EpochPlan plan)
    {
        var all = new List<int>();
        foreach (RowBlock block in rows.ReadEpoch(plan))
            all.AddRange(block.Order.ToArray());
        return [.. all];
    }
}
