using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Training;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// <c>MemoryBudgetBytes = 0</c> streams the view every epoch instead of reading it into memory once; blocks and their
/// shuffles are the same on both paths, so the model is bit-identical.
/// </summary>
[TestClass]
public sealed class StreamingTests
{
    [TestMethod]
    public void Dense_StreamedModelIsBitIdenticalToInMemoryModel()
    {
        // 1003 valid rows: not a multiple of the batch (64); a bad row in the middle is skipped on both paths.
        var rows = Regression(1003, seed: 7).ToList();
        rows.Insert(500, new RegressionRow { Features = [1, float.NaN, 1], Label = 1 });

        var (inMemory, streamed, log) = FitBoth(rows, o => o.BatchSize = 64);

        CollectionAssert.AreEqual(Weights(inMemory), Weights(streamed));
        Assert.AreEqual(inMemory.Model.Bias, streamed.Model.Bias);
        Assert.IsTrue(log.Any(m => m.StartsWith("AdaBelief: 1003 rows (dense, in memory)", StringComparison.Ordinal)));
        Assert.IsTrue(log.Any(m => m.StartsWith("AdaBelief: 1003 rows (dense, streamed)", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Sparse_StreamedModelIsBitIdenticalToInMemoryModel()
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        IDataView data = ml.Data.LoadFromEnumerable(Wide(777, seed: 8, nonZerosPerRow: 3, sparse: true));
        AdaBeliefRegressionTrainer.Options Options(long budget) =>
            new() { NumberOfEpochs = 4, BatchSize = 50, Seed = 3, MemoryBudgetBytes = budget };

        var inMemory = ml.Regression.Trainers.AdaBelief(Options(AdaBeliefTrainerDefaults.MemoryBudgetBytes)).Fit(data);
        var streamed = ml.Regression.Trainers.AdaBelief(Options(0)).Fit(data);

        CollectionAssert.AreEqual(Weights(inMemory), Weights(streamed));
        Assert.AreEqual(inMemory.Model.Bias, streamed.Model.Bias);
        IReadOnlyList<string> info = log.Of(ChannelMessageKind.Info);
        Assert.IsTrue(info.Any(m => m.StartsWith("AdaBelief: 777 rows (sparse, in memory)", StringComparison.Ordinal)));
        Assert.IsTrue(info.Any(m => m.StartsWith("AdaBelief: 777 rows (sparse, streamed)", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow(20)]
    [DataRow(70)] // a dense batch of three chunks of rows
    public void Multiclass_StreamedWithValidationAndEarlyStopping_IsBitIdentical(int batchSize)
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Multiclass(501, seed: 9));
        IDataView validation = ml.Data.LoadFromEnumerable(Multiclass(99, seed: 10));
        AdaBeliefMulticlassTrainer.Options Options(long budget) =>
            new() { NumberOfEpochs = 5, BatchSize = batchSize, Seed = 3, MemoryBudgetBytes = budget, EarlyStoppingPatience = 2 };

        var inMemoryTrainer = ml.MulticlassClassification.Trainers.AdaBelief(Options(AdaBeliefTrainerDefaults.MemoryBudgetBytes));
        var streamedTrainer = ml.MulticlassClassification.Trainers.AdaBelief(Options(0));
        var inMemory = inMemoryTrainer.Fit(train, validation);
        var streamed = streamedTrainer.Fit(train, validation);

        CollectionAssert.AreEqual(Parameters(inMemory.Model), Parameters(streamed.Model));
        CollectionAssert.AreEqual(
            inMemoryTrainer.TrainingHistory.Select(p => (p.TrainingLoss, p.ValidationLoss)).ToArray(),
            streamedTrainer.TrainingHistory.Select(p => (p.TrainingLoss, p.ValidationLoss)).ToArray());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ManyBlocks_StreamedRowsTrainBitIdenticallyToInMemoryRows(bool sparse)
    {
        // The trainer's block size is at least 1,024 rows; the training layer takes any block size, so several blocks
        // (the last one short, none a multiple of the batch) are checked there, on the loader's own row sources.
        var ml = new MLContext(seed: 1);
        IDataView data = sparse
            ? ml.Data.LoadFromEnumerable(Wide(1037, seed: 11, nonZerosPerRow: 3, sparse: true))
            : ml.Data.LoadFromEnumerable(Regression(1037, seed: 11));
        TrainingColumns columns = TrainingColumns.Resolve(data.Schema, "Label", "Features", null, LabelKind.Real);
        LoadedTrainingData loaded = TrainingDataLoader.Load(data, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        Assert.IsTrue(loaded.InMemory);
        Assert.AreEqual(sparse, loaded.IsSparse);
        var streamedRows = new DataViewTrainingRows(data, columns, sparse);

        var settings = new LinearTrainerSettings { Epochs = 3, BatchSize = 16, Seed = 21, ShuffleBlockSize = 97 };
        var options = new AdaBeliefOptions { LearningRate = new CosineAnnealingLR(0.05, 3 * 11 * 7) };
        LinearTrainingResult fromMemory = new LinearModelTrainer(LinearLosses.Create(LinearModelLoss.Squared), settings, options).Train(loaded.Rows);
        LinearTrainingResult fromStream = new LinearModelTrainer(LinearLosses.Create(LinearModelLoss.Squared), settings, options).Train(streamedRows);

        CollectionAssert.AreEqual(fromMemory.Model.Weights, fromStream.Model.Weights, $"sparse {sparse}");
        CollectionAssert.AreEqual(fromMemory.Model.Biases, fromStream.Model.Biases, $"sparse {sparse}");
        CollectionAssert.AreEqual(fromMemory.History.Select(p => p.TrainingLoss).ToArray(), fromStream.History.Select(p => p.TrainingLoss).ToArray());
    }

    private static (Microsoft.ML.Data.RegressionPredictionTransformer<Microsoft.ML.Trainers.LinearRegressionModelParameters> InMemory,
        Microsoft.ML.Data.RegressionPredictionTransformer<Microsoft.ML.Trainers.LinearRegressionModelParameters> Streamed,
        IReadOnlyList<string> Log) FitBoth(IEnumerable<RegressionRow> rows, Action<AdaBeliefRegressionTrainer.Options> configure)
    {
        var ml = new MLContext(seed: 1);
        var log = new LogRecorder(ml);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        AdaBeliefRegressionTrainer.Options Options(long budget)
        {
            var options = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 3, Seed = 3, MemoryBudgetBytes = budget };
            configure(options);
            return options;
        }

        var inMemory = ml.Regression.Trainers.AdaBelief(Options(AdaBeliefTrainerDefaults.MemoryBudgetBytes)).Fit(data);
        var streamed = ml.Regression.Trainers.AdaBelief(Options(0)).Fit(data);
        return (inMemory, streamed, log.Of(ChannelMessageKind.Info));
    }
}
