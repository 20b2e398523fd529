using Microsoft.ML;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Training;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>
/// NumberOfThreads: 1 keeps training (gradients and the optimizer's update) on the calling thread, the default may use
/// more cores, and the model is the same either way.
/// </summary>
[TestClass]
public sealed class ThreadingTests
{
    // Dense, in memory, a block over SecondHalfWorker.MinimumBlockBytes and half batches of enough products: the data
    // for which the default takes a second core (when the machine has one).
    private const int Rows = 54_000;
    private const int BatchSize = 1024;

    [TestMethod]
    public void TheDataIsLargeEnoughForASecondCore()
    {
        Assert.IsGreaterThanOrEqualTo(SecondHalfWorker.MinimumBlockBytes, (long)Rows * WideFeatureCount * sizeof(float));
        Assert.IsGreaterThanOrEqualTo(SecondHalfWorker.MinimumHalfBatchProducts, BatchSize / 2 * WideFeatureCount); // one output
    }

    [TestMethod]
    public void OneThread_GivesTheBitsOfTheDefault()
    {
        IDataView data = new MLContext(seed: 1).Data.LoadFromEnumerable(Wide(Rows, seed: 31, nonZerosPerRow: WideFeatureCount, sparse: false));

        float[] Fit(int? threads)
        {
            var ml = new MLContext(seed: 5);
            var options = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 2, BatchSize = BatchSize, NumberOfThreads = threads };
            return Weights(ml.Regression.Trainers.AdaBelief(options).Fit(data));
        }

        float[] automatic = Fit(null);
        CollectionAssert.AreEqual(automatic, Fit(1));
        CollectionAssert.AreEqual(automatic, Fit(2));
    }

    [TestMethod]
    [DataRow(null, true)]
    [DataRow(1, false)]
    [DataRow(2, true)]
    [DataRow(64, true)]
    public void NumberOfThreads_DecidesWhetherTheLoopMayUseASecondCore(int? threads, bool secondCore)
    {
        var ml = new MLContext(seed: 1);
        IDataView view = ml.Data.LoadFromEnumerable(Regression(50, seed: 3));
        var columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);
        using LoadedTrainingData data = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);

        var plan = TrainingPlan.Create(new AdaBeliefRegressionTrainer.Options { NumberOfThreads = threads }, data, new Random(1));

        Assert.AreEqual(secondCore, plan.Settings.UseSecondCore);
        Assert.AreEqual(threads ?? -1, plan.OptimizerOptions.MaxDegreeOfParallelism, "the optimizer's update obeys the same limit");
    }

    [TestMethod]
    public void OneThread_KeepsTheOptimizersUpdateOnOneCore_EvenForALargeModel()
    {
        // 600,000 weights: above the size from which the update is spread over every core.
        var options = new AdaBeliefMulticlassTrainer.Options { NumberOfThreads = 1 };
        var optimizer = new AdaBeliefOptimizer(600_000, options.ToOptimizerOptions(0.01, ScheduleUnit.Step));

        Assert.AreEqual(1, optimizer.Workers);
    }
}
