using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Trainers.Interop;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief;

/// <summary>
/// What the three AdaBelief trainers share: schema checks through ML.NET's built-in trainer of the same task, reading
/// the data, the epoch loop, logging, and building ML.NET's own model types from the result.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer Fit returns.</typeparam>
/// <typeparam name="TModel">The model parameters inside it.</typeparam>
public abstract class AdaBeliefTrainerBase<TTransformer, TModel> : ITrainerEstimator<TTransformer, TModel>
    where TTransformer : ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    private readonly AdaBeliefTrainerOptionsBase _options;
    private readonly LabelKind _labelKind;
    private volatile CompletedFit _lastFit = new([], 0);

    private protected AdaBeliefTrainerBase(IHostEnvironment env, AdaBeliefTrainerOptionsBase options, string name, LabelKind labelKind)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        TrainerOptionsValidation.Validate(options);
        Host = env.Register(name);
        _options = options.Clone();
        _labelKind = labelKind;
        // No caching wanted: rows that fit MemoryBudgetBytes are read once into the trainer's own store, so a cache
        // checkpoint in front of it would only copy them once more (ML.NET's tree trainers, which also build their own
        // store, say the same).
        Info = MLNetModelFactory.CreateTrainerInfo(
            normalization: false, calibration: false, caching: false, supportValid: true, supportIncrementalTrain: true);
    }

    /// <summary>
    /// ML.NET's description of this trainer: no normalization needed, no caching wanted (rows that fit the memory
    /// budget are read once into the trainer's own store), takes validation data and a starting model.
    /// </summary>
    public TrainerInfo Info { get; }

    /// <summary>
    /// The per-epoch record of the last <c>Fit</c> to complete: training and validation loss, learning rate, elapsed
    /// time. When fits of one trainer run at once, this is whichever finished last (set together with
    /// <see cref="BestEpoch"/>, so the two always belong to the same fit); the per-fit record is
    /// <see cref="AdaBeliefTrainerOptionsBase.ProgressCallback"/>, called on each fit's own thread.
    /// </summary>
    public IReadOnlyList<TrainingProgress> TrainingHistory => _lastFit.History;

    /// <summary>The epoch whose model the last <c>Fit</c> to complete returned (the best one under early stopping).</summary>
    public int BestEpoch => _lastFit.BestEpoch;

    private protected IHost Host { get; }

    /// <summary>Trains a model on <paramref name="input"/>.</summary>
    /// <param name="input">The training data.</param>
    public TTransformer Fit(IDataView input) => Train(input, null, null);

    /// <summary>
    /// Trains a model on <paramref name="trainData"/>, measuring the loss on <paramref name="validationData"/> after
    /// every epoch; early stopping and a plateau schedule follow the validation loss.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">The validation data, with the same columns.</param>
    public TTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return Train(trainData, validationData, null);
    }

    /// <summary>The output columns, checked exactly as ML.NET's built-in trainer of the same task checks them.</summary>
    /// <param name="inputSchema">The input schema.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => ReferenceEstimator().GetOutputSchema(inputSchema);

    /// <summary>The built-in estimator of the same task and columns, whose output shape and checks this trainer shares.</summary>
    private protected abstract IEstimator<ITransformer> ReferenceEstimator();

    private protected abstract ILinearLoss CreateLoss(TrainingColumns columns);

    private protected abstract TTransformer MakeTransformer(LinearModelWeights model, DataViewSchema trainSchema, TrainingColumns columns);

    private protected AdaBeliefTrainerOptionsBase TrainerOptions => _options;

    private protected TTransformer Train(IDataView trainData, IDataView? validationData, LinearModelWeights? initial)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        using IChannel channel = Host.Start("Training");

        GetOutputSchema(MLNetModelFactory.CreateSchemaShape(trainData.Schema));
        if (validationData is not null)
            GetOutputSchema(MLNetModelFactory.CreateSchemaShape(validationData.Schema));

        TrainingColumns columns = Resolve(trainData.Schema);
        ILinearLoss loss = CreateLoss(columns);
        DataStatistics.Request? statistics = LinearModelTrainer.StatisticsRequest(
            _options.StandardizeFeatures, _options.BiasInitialization, warmStart: initial is not null, loss, standardizeLabel: _options.StandardizeFeatures);
        // The rows are freed when Fit returns: an in-memory store lives outside the managed heap.
        using LoadedTrainingData train = TrainingDataLoader.Load(trainData, columns, _options.MemoryBudgetBytes, statistics, useOtherCore: _options.NumberOfThreads is not 1);
        if (train.Skipped.Total > 0)
            channel.Warning(MessageSensitivity.None, train.Skipped.Describe());
        using LoadedTrainingData? loadedValidation = validationData is null ? null : LoadValidation(validationData, columns, channel);
        ITrainingRows? validation = loadedValidation?.Rows;

        TrainingPlan plan = TrainingPlan.Create(_options, train, Host.Rand, loss.OutputCount, hasValidation: validation is not null);
        channel.Info(MessageSensitivity.None, plan.Describe(train));
        if (plan.Warning is not null)
            channel.Warning(MessageSensitivity.None, plan.Warning);

        var trainer = new LinearModelTrainer(loss, plan.Settings, plan.OptimizerOptions);
        void Report(TrainingProgress progress)
        {
            channel.Info(MessageSensitivity.None, TrainingPlan.DescribeEpoch(progress));
            _options.ProgressCallback?.Invoke(progress);
        }

        LinearTrainingResult result = trainer.Train(train.Rows, validation, Report, initial, measured: train.Statistics);
        _lastFit = new CompletedFit(result.History, result.BestEpoch);
        if (result.StoppedEarly)
            channel.Info(MessageSensitivity.None, $"Stopped early after epoch {result.History.Count}; returning the model of epoch {result.BestEpoch}.");

        return MakeTransformer(result.Model, trainData.Schema, columns);
    }

    private LoadedTrainingData LoadValidation(IDataView validationData, TrainingColumns trainColumns, IChannel channel)
    {
        TrainingColumns columns = Resolve(validationData.Schema);
        if (columns.FeatureCount != trainColumns.FeatureCount || columns.ClassCount != trainColumns.ClassCount)
        {
            throw new ArgumentException(
                $"The validation data has {columns.FeatureCount} features and {columns.ClassCount} classes; the training data has {trainColumns.FeatureCount} and {trainColumns.ClassCount}.",
                nameof(validationData));
        }

        LoadedTrainingData loaded = TrainingDataLoader.Load(validationData, columns, _options.MemoryBudgetBytes);
        if (loaded.Skipped.Total > 0)
            channel.Warning(MessageSensitivity.None, "Validation data: " + loaded.Skipped.Describe());
        return loaded;
    }

    /// <summary>The weights and bias of a linear model to warm-start from (regression and binary trainers).</summary>
    private protected static LinearModelWeights StartingPoint(LinearModelParameters model) =>
        new(model.Weights.ToArray(), [model.Bias]);

    /// <summary>What the last completed fit recorded, swapped in as one reference so readers never mix two fits.</summary>
    private sealed record CompletedFit(IReadOnlyList<TrainingProgress> History, int BestEpoch);

    private TrainingColumns Resolve(DataViewSchema schema) =>
        TrainingColumns.Resolve(schema, _options.LabelColumnName, _options.FeatureColumnName, _options.ExampleWeightColumnName, _labelKind);
}
