using System.Reflection;
using Microsoft.ML;
using static MLNet.AdaBelief.Tests.Trainers.Behavior.BehaviorData;

namespace MLNet.AdaBelief.Tests.Trainers.Behavior;

/// <summary>Options out of range fail when the trainer is built through the catalog, naming the option; Fit leaves them unchanged.</summary>
[TestClass]
public sealed class OptionsValidationTests
{
    private static readonly MLContext Context = new(seed: 1);

    /// <summary>Builds each of the three trainers from options of its type, after <paramref name="configure"/>.</summary>
    private static IEnumerable<(string Trainer, Action Create)> AllTrainers(Action<AdaBeliefTrainerOptionsBase> configure)
    {
        var regression = new AdaBeliefRegressionTrainer.Options();
        configure(regression);
        yield return ("regression", () => Context.Regression.Trainers.AdaBelief(regression));
        var binary = new AdaBeliefBinaryTrainer.Options();
        configure(binary);
        yield return ("binary", () => Context.BinaryClassification.Trainers.AdaBelief(binary));
        var multiclass = new AdaBeliefMulticlassTrainer.Options();
        configure(multiclass);
        yield return ("multiclass", () => Context.MulticlassClassification.Trainers.AdaBelief(multiclass));
    }

    public static IEnumerable<object[]> OutOfRange =>
    [
        [nameof(AdaBeliefTrainerOptionsBase.BatchSize), (Action<AdaBeliefTrainerOptionsBase>)(o => o.BatchSize = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.BatchSize), (Action<AdaBeliefTrainerOptionsBase>)(o => o.BatchSize = -5)],
        [nameof(AdaBeliefTrainerOptionsBase.NumberOfEpochs), (Action<AdaBeliefTrainerOptionsBase>)(o => o.NumberOfEpochs = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.EarlyStoppingPatience), (Action<AdaBeliefTrainerOptionsBase>)(o => o.EarlyStoppingPatience = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.EarlyStoppingMinDelta), (Action<AdaBeliefTrainerOptionsBase>)(o => o.EarlyStoppingMinDelta = -1e-3)],
        [nameof(AdaBeliefTrainerOptionsBase.EarlyStoppingMinDelta), (Action<AdaBeliefTrainerOptionsBase>)(o => o.EarlyStoppingMinDelta = double.NaN)],
        [nameof(AdaBeliefTrainerOptionsBase.MemoryBudgetBytes), (Action<AdaBeliefTrainerOptionsBase>)(o => o.MemoryBudgetBytes = -1)],
        [nameof(AdaBeliefTrainerOptionsBase.NumberOfThreads), (Action<AdaBeliefTrainerOptionsBase>)(o => o.NumberOfThreads = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.Beta1), (Action<AdaBeliefTrainerOptionsBase>)(o => o.Beta1 = 1.0)],
        [nameof(AdaBeliefTrainerOptionsBase.Beta2), (Action<AdaBeliefTrainerOptionsBase>)(o => o.Beta2 = -0.1)],
        [nameof(AdaBeliefTrainerOptionsBase.LearningRate), (Action<AdaBeliefTrainerOptionsBase>)(o => o.LearningRate = -0.01)],
        [nameof(AdaBeliefTrainerOptionsBase.LearningRate), (Action<AdaBeliefTrainerOptionsBase>)(o => o.LearningRate = double.NaN)],
        [nameof(AdaBeliefTrainerOptionsBase.LearningRate), (Action<AdaBeliefTrainerOptionsBase>)(o => o.LearningRate = double.PositiveInfinity)],
        [nameof(AdaBeliefTrainerOptionsBase.Epsilon), (Action<AdaBeliefTrainerOptionsBase>)(o => o.Epsilon = -1e-8)],
        [nameof(AdaBeliefTrainerOptionsBase.WeightDecay), (Action<AdaBeliefTrainerOptionsBase>)(o => o.WeightDecay = -0.1)],
        [nameof(AdaBeliefTrainerOptionsBase.GradientClipNorm), (Action<AdaBeliefTrainerOptionsBase>)(o => o.GradientClipNorm = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.LearningRate), (Action<AdaBeliefTrainerOptionsBase>)(o => o.LearningRate = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.TargetSteps), (Action<AdaBeliefTrainerOptionsBase>)(o => o.TargetSteps = 0)],
        [nameof(AdaBeliefTrainerOptionsBase.LearningRateShape), (Action<AdaBeliefTrainerOptionsBase>)(o => o.LearningRateShape = (LearningRateShape)99)],
        [nameof(AdaBeliefTrainerOptionsBase.BiasInitialization), (Action<AdaBeliefTrainerOptionsBase>)(o => o.BiasInitialization = (BiasInitialization)99)],
        [nameof(AdaBeliefTrainerOptionsBase.ScheduleUnit), (Action<AdaBeliefTrainerOptionsBase>)(o => o.ScheduleUnit = (ScheduleUnit)99)],
    ];

    [TestMethod]
    [DynamicData(nameof(OutOfRange))]
    public void OutOfRangeOption_ThrowsWhenTheTrainerIsCreated_NamingTheOption(string option, Action<AdaBeliefTrainerOptionsBase> configure)
    {
        foreach (var (trainer, create) in AllTrainers(configure))
        {
            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(create, trainer);
            Assert.AreEqual(option, error.ParamName, trainer);
            Assert.Contains(option, error.Message, trainer);
        }
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-1.0)]
    [DataRow(double.NaN)]
    [DataRow(double.PositiveInfinity)]
    public void HuberDeltaNotPositive_Throws(double delta)
    {
        var options = new AdaBeliefRegressionTrainer.Options { LossFunction = RegressionLoss.Huber, HuberDelta = delta };

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context.Regression.Trainers.AdaBelief(options));

        Assert.AreEqual(nameof(AdaBeliefRegressionTrainer.Options.HuberDelta), error.ParamName);
    }

    [TestMethod]
    public void UndefinedLossFunction_Throws()
    {
        var options = new AdaBeliefRegressionTrainer.Options { LossFunction = (RegressionLoss)7 };

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context.Regression.Trainers.AdaBelief(options));

        Assert.AreEqual(nameof(AdaBeliefRegressionTrainer.Options.LossFunction), error.ParamName);
    }

    [TestMethod]
    [DataRow(nameof(AdaBeliefTrainerOptionsBase.LabelColumnName), "")]
    [DataRow(nameof(AdaBeliefTrainerOptionsBase.LabelColumnName), " ")]
    [DataRow(nameof(AdaBeliefTrainerOptionsBase.LabelColumnName), null)]
    [DataRow(nameof(AdaBeliefTrainerOptionsBase.FeatureColumnName), "")]
    [DataRow(nameof(AdaBeliefTrainerOptionsBase.FeatureColumnName), null)]
    public void EmptyColumnName_ThrowsArgumentException(string option, string? name)
    {
        PropertyInfo property = typeof(AdaBeliefTrainerOptionsBase).GetProperty(option)!;
        foreach (var (trainer, create) in AllTrainers(o => property.SetValue(o, name)))
        {
            var error = Assert.ThrowsExactly<ArgumentException>(create, trainer);
            Assert.AreEqual(option, error.ParamName, trainer);
        }
    }

    [TestMethod]
    public void CatalogParameters_AreValidatedToo()
    {
        Assert.AreEqual("BatchSize", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context.Regression.Trainers.AdaBelief(batchSize: 0)).ParamName);
        Assert.AreEqual("NumberOfEpochs", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context.BinaryClassification.Trainers.AdaBelief(numberOfEpochs: 0)).ParamName);
        Assert.AreEqual("LearningRate", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context.MulticlassClassification.Trainers.AdaBelief(learningRate: -1)).ParamName);
        Assert.AreEqual("FeatureColumnName", Assert.ThrowsExactly<ArgumentException>(() => Context.Regression.Trainers.AdaBelief(featureColumnName: "")).ParamName);
    }

    [TestMethod]
    public void Fit_DoesNotModifyTheOptions()
    {
        var ml = new MLContext(seed: 1);
        var schedule = new ReduceLROnPlateau(0.02, patience: 1);
        Action<TrainingProgress> callback = _ => { };
        var options = new AdaBeliefRegressionTrainer.Options
        {
            ExampleWeightColumnName = "Weight",
            LearningRateSchedule = schedule,
            ScheduleUnit = ScheduleUnit.Epoch,
            NumberOfEpochs = null,
            Seed = null,
            BatchSize = 100,
            EarlyStoppingPatience = 3,
            GradientClipNorm = 5,
            ProgressCallback = callback,
            LossFunction = RegressionLoss.Huber,
        };
        Dictionary<string, object?> before = Snapshot(options);

        var trainer = ml.Regression.Trainers.AdaBelief(options);
        trainer.Fit(ml.Data.LoadFromEnumerable(Regression(200, seed: 27)), ml.Data.LoadFromEnumerable(Regression(50, seed: 28)));
        trainer.Fit(ml.Data.LoadFromEnumerable(Regression(200, seed: 27)));

        Dictionary<string, object?> after = Snapshot(options);
        foreach (var (name, value) in before)
            Assert.AreEqual(value, after[name], name);
        Assert.AreSame(schedule, options.LearningRateSchedule);
        Assert.AreSame(callback, options.ProgressCallback);
    }

    [TestMethod]
    public void Trainer_CopiesTheOptions_SoLaterChangesDoNotReachIt()
    {
        var ml = new MLContext(seed: 1);
        var options = new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 3, Seed = 1 };
        var trainer = ml.Regression.Trainers.AdaBelief(options);

        options.NumberOfEpochs = 7;
        options.LearningRate = -1;
        trainer.Fit(ml.Data.LoadFromEnumerable(Regression(200, seed: 27)));

        Assert.HasCount(3, trainer.TrainingHistory);
    }

    [TestMethod]
    public void CatalogOverloads_TakeL2RegularizationAndASeed()
    {
        // 30 rows of 3 features in batches of 8: the data-size-aware penalty is strong enough here to show, and the
        // seed's order of the rows changes the batches.
        IDataView data = Context.Data.LoadFromEnumerable(Regression(30, seed: 29));
        float[] Fit(double l2, int? seed) => Weights(new MLContext(seed: 1).Regression.Trainers.AdaBelief(numberOfEpochs: 3, batchSize: 8, l2Regularization: l2, seed: seed).Fit(data));
        float[] WithOptions() => Weights(new MLContext(seed: 1).Regression.Trainers.AdaBelief(new AdaBeliefRegressionTrainer.Options { NumberOfEpochs = 3, BatchSize = 8, L2Regularization = 2, Seed = 7 }).Fit(data));

        CollectionAssert.AreEqual(WithOptions(), Fit(2, 7), "l2Regularization is L2Regularization, seed is Seed");
        CollectionAssert.AreNotEqual(Fit(2, 7), Fit(2, 8), "the seed orders the rows");
        Assert.IsLessThan(Norm(Fit(0, 7)), Norm(Fit(10, 7)), "regularization shrinks the weights");
        Assert.AreEqual("L2Regularization", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Context.BinaryClassification.Trainers.AdaBelief(l2Regularization: -1)).ParamName);
    }

    private static double Norm(float[] weights) => Math.Sqrt(weights.Sum(w => (double)w * w));

    private static Dictionary<string, object?> Snapshot(object options) =>
        options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, p => p.GetValue(options));
}
