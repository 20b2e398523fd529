using System.Diagnostics;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Trains a linear model with <see cref="AdaBeliefOptimizer"/>: mini-batches in the seeded block order of
/// <see cref="ITrainingRows"/>, scaled features, a standardized regression label, validation, early stopping and a
/// plateau-aware learning rate.
/// </summary>
/// <remarks>
/// <para>
/// Per batch: one step of the rows' updater, <see cref="DenseBatchUpdater"/> for dense rows (the whole model, two
/// halves of the batch on two cores) or <see cref="SparseBatchUpdater"/> for sparse rows (only the features present in
/// the batch, lazily). Per epoch: the training loss (running weighted mean), the raw-space model, the validation loss,
/// <see cref="AdaBeliefOptimizer.CompleteEpoch"/>, <see cref="AdaBeliefOptimizer.ReportMetric"/> with the monitored
/// loss, early stopping, and a progress record. Losses are always in the label's own units.
/// </para>
/// <para>
/// Fixed summation order: the same seed and rows give bit-identical weights. Weight decay of the options applies to
/// the scaled weights only: the biases are left out, as ML.NET's regularized linear trainers leave them.
/// </para>
/// </remarks>
internal sealed class LinearModelTrainer
{
    private const int EvaluationBlockSize = 1 << 14;

    private readonly ILinearLoss _loss;
    private readonly LinearTrainerSettings _settings;
    private readonly AdaBeliefOptions _options;

    /// <param name="loss">The loss; it fixes the number of outputs K.</param>
    /// <param name="settings">The loop settings; validated here.</param>
    /// <param name="options">The optimizer settings; validated and copied by each optimizer built.</param>
    public LinearModelTrainer(ILinearLoss loss, LinearTrainerSettings settings, AdaBeliefOptions options)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        settings.Validate();
        options.Validate();
        _loss = loss;
        _settings = settings;
        _options = options.Clone();
    }

    /// <summary>Trains on <paramref name="rows"/>.</summary>
    /// <param name="rows">The training rows.</param>
    /// <param name="validation">Rows to measure after each epoch, or null.</param>
    /// <param name="progress">Called once per epoch, after it, or null.</param>
    /// <param name="initial">Raw-space weights to start from (warm start), or null to start from zero weights.</param>
    /// <param name="measured">The statistics of <paramref name="rows"/> if already measured (see <see cref="StatisticsRequest"/>), or null.</param>
    /// <param name="cancellation">Checked between batches.</param>
    /// <exception cref="InvalidOperationException">Training diverged (a loss or weight became non-finite), or the rows have no weight.</exception>
    /// <exception cref="ArgumentException">The sources disagree on the feature count, the initial model has the wrong shape, or a label does not suit the loss.</exception>
    public LinearTrainingResult Train(
        ITrainingRows rows,
        ITrainingRows? validation = null,
        Action<TrainingProgress>? progress = null,
        LinearModelWeights? initial = null,
        DataStatistics? measured = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var clock = Stopwatch.StartNew();
        int features = rows.FeatureCount;
        int outputs = _loss.OutputCount;
        if (validation is not null && validation.FeatureCount != features)
            throw new ArgumentException($"The validation rows have {validation.FeatureCount} features; the training rows have {features}.", nameof(validation));
        if (initial is not null && (initial.Weights.Length != outputs * features || initial.Biases.Length != outputs))
            throw new ArgumentException($"The initial model has {initial.Weights.Length} weights and {initial.Biases.Length} biases; this loss needs {outputs} × {features} and {outputs}.", nameof(initial));

        // The statistics pass runs only when something needs it, and not if the rows were measured as they were read.
        bool standardizeLabel = _settings.StandardizeLabel && _loss.IsRegression;
        DataStatistics? statistics = StatisticsRequest(_settings.ScaleFeatures, _settings.BiasInitialization, warmStart: initial is not null, _loss, standardizeLabel, _settings.SparseScaling) switch
        {
            null => null,
            { } request when measured is not null && request.IsMetBy(measured) => measured,
            { } request => DataStatistics.Compute(rows, request.MeasureFeatures, request.ClassCount, request.SparseSpread),
        };

        // Without validation rows of the user's, a held-out share of the training rows measures generalization.
        if (validation is null && _settings.HoldoutFraction > 0)
        {
            var split = new HoldoutSplit(_settings.HoldoutFraction, _settings.Seed);
            validation = new HoldoutTrainingRows(rows, split, heldOut: true);
            rows = new HoldoutTrainingRows(rows, split, heldOut: false);
        }

        // The data-size-aware L2 penalty counts the training rows by their example weights, so a row of weight 2 and
        // two copies of it train the same model; a pass counts them when no statistics were measured or rows were held out.
        AdaBeliefOptions optimizerOptions = _options;
        if (_settings.L2Strength > 0)
        {
            double totalWeight = statistics is not null && _settings.HoldoutFraction == 0
                ? statistics.TotalWeight
                : DataStatistics.Compute(rows, measureFeatures: false, classCount: 0).TotalWeight;
            optimizerOptions = _options.Clone();
            optimizerOptions.WeightDecay += DataSizeL2.WeightDecay(_settings.L2Strength, totalWeight, features);
        }

        // Where training starts, on raw features: the given model, or zero weights and biases from the labels.
        var startingModel = initial ?? new LinearModelWeights(new float[outputs * features], new float[outputs]);
        if (initial is null && _settings.BiasInitialization == BiasInitialization.FromLabels)
            _loss.InitialBiases(statistics!, startingModel.Biases);

        FeatureScaling? scaling = CreateScaling(statistics, features, rows.IsSparse, standardizeLabel ? startingModel.Bias : null);
        using IBatchUpdater updater = rows.IsSparse
            ? new SparseBatchUpdater(_loss, _settings, optimizerOptions, scaling ?? new FeatureScaling(null, null, features, 0, 1), startingModel)
            : new DenseBatchUpdater(_loss, _settings, optimizerOptions, scaling, startingModel);
        AdaBeliefOptimizer optimizer = updater.Optimizer;

        float[] rawWeights = new float[outputs * features], rawBiases = new float[outputs];
        float[]? bestWeights = _settings.EarlyStoppingPatience is null ? null : new float[rawWeights.Length];
        float[]? bestBiases = _settings.EarlyStoppingPatience is null ? null : new float[outputs];
        IterateAverage? average = _settings.AverageFromEpoch is { } firstAveraged ? new IterateAverage(rawWeights.Length, outputs, firstAveraged) : null;
        var history = new List<TrainingProgress>(_settings.Epochs);
        double bestLoss = double.PositiveInfinity;
        double startLoss = 0; // the mean loss of the first mini-batch with a positive loss, at the weights it saw
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        bool stoppedEarly = false;
        try
        {
            for (int epoch = 1; epoch <= _settings.Epochs; epoch++)
            {
                double learningRate = optimizer.CurrentLearningRate;
                var plan = new EpochPlan(_settings.Seed, epoch - 1, _settings.Shuffle, _settings.ShuffleBlockSize);
                double lossSum = 0, weightSum = 0;
                try
                {
                    foreach (RowBlock block in rows.ReadEpoch(plan))
                    {
                        updater.BeginBlock(block);
                        ReadOnlySpan<int> order = block.Order.Span;
                        for (int start = 0; start < order.Length; start += _settings.BatchSize)
                        {
                            cancellation.ThrowIfCancellationRequested();
                            int count = Math.Min(_settings.BatchSize, order.Length - start);
                            double batchWeight = new RowBatch(block.Rows, order.Slice(start, count)).WeightSum();
                            if (batchWeight <= 0)
                                continue; // nothing to learn from rows of weight 0

                            double batchLoss = updater.Step(block, start, count, batchWeight, epoch);
                            if (startLoss == 0)
                                startLoss = batchLoss / batchWeight;
                            lossSum += batchLoss;
                            weightSum += batchWeight;
                        }

                        updater.EndBlock();
                    }
                }
                finally
                {
                    updater.EndEpoch();
                }

                updater.CheckFinite(epoch, learningRate);

                // The raw model is read each epoch only by validation, averaging and early stopping; otherwise the
                // last epoch's is the result, and folding a wide multiclass model every epoch cost a twentieth of
                // the Fit (GitHub issues: 143 epochs of 22 × 127,000 weights).
                if (validation is not null || average is not null || bestWeights is not null || epoch == _settings.Epochs)
                    updater.WriteRaw(rawWeights, rawBiases);

                // The model of this epoch: the running mean of the iterates once averaging has started, else the
                // iterate. The raw model is a linear map of the optimizer's, so the mean of raw models is the raw model
                // of the mean.
                bool averaged = average?.Add(epoch, rawWeights, rawBiases) == true;
                float[] epochWeights = averaged ? average!.Weights : rawWeights, epochBiases = averaged ? average!.Biases : rawBiases;
                double trainingLoss = weightSum > 0 ? lossSum / weightSum : double.NaN;
                if (TrainingDivergence.HasRunAway(trainingLoss, startLoss))
                    throw TrainingDivergence.Found(TrainingDivergence.DescribeRunAway(trainingLoss, startLoss), epoch, learningRate);
                double? validationLoss = validation is null ? null : MeanLoss(validation, epochWeights, epochBiases);
                if (validationLoss is { } v && !double.IsFinite(v))
                    throw TrainingDivergence.Found($"the validation loss became {v}", epoch, learningRate);

                double monitored = validationLoss ?? trainingLoss;
                optimizer.CompleteEpoch();
                if (optimizer.Plateau is not null)
                    optimizer.ReportMetric(monitored);
                var record = new TrainingProgress(epoch, trainingLoss, validationLoss, learningRate, clock.Elapsed);
                history.Add(record);
                progress?.Invoke(record);

                if (monitored < bestLoss - _settings.EarlyStoppingMinDelta || bestEpoch == 0)
                {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (bestWeights is not null && bestBiases is not null)
                    {
                        epochWeights.CopyTo(bestWeights, 0);
                        epochBiases.CopyTo(bestBiases, 0);
                    }
                }
                else if (_settings.EarlyStoppingPatience is { } patience && ++epochsWithoutImprovement >= patience)
                {
                    stoppedEarly = epoch < _settings.Epochs;
                    break;
                }
            }
        }
        catch (DivergenceFoundException found)
        {
            // Found deep in a batch or an epoch's checks; the advice reads the rows once more to name the likely cause.
            throw TrainingDivergence.Error(found.What, found.Epoch, found.LearningRate, rows, _settings.ScaleFeatures, found.InnerException);
        }

        bool useAverage = average is { Count: > 0 };
        return new LinearTrainingResult(
            new LinearModelWeights(bestWeights ?? (useAverage ? average!.Weights : rawWeights), bestBiases ?? (useAverage ? average!.Biases : rawBiases)),
            history, bestEpoch, stoppedEarly);
    }

    /// <summary>
    /// The statistics training needs before its first epoch, or null for none: the features' for scaling, the labels'
    /// for a standardized regression label and for biases started from them (not on a warm start), and class weights
    /// for a loss of several scores. A pass that reads the rows first can measure them for it.
    /// </summary>
    public static DataStatistics.Request? StatisticsRequest(
        bool scaleFeatures, BiasInitialization biasInitialization, bool warmStart, ILinearLoss loss, bool standardizeLabel = true, SparseFeatureScaling sparseScaling = SparseFeatureScaling.MaxAbsAboveOne)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return scaleFeatures || (standardizeLabel && loss.IsRegression) || (!warmStart && biasInitialization == BiasInitialization.FromLabels)
            ? new DataStatistics.Request(scaleFeatures, loss.OutputCount > 1 ? loss.OutputCount : 0, SparseSpread: scaleFeatures && sparseScaling == SparseFeatureScaling.RootMeanSquare)
            : null;
    }

    /// <summary>The weighted mean loss over all rows, in stored order.</summary>
    public double MeanLoss(ITrainingRows rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases)
    {
        ArgumentNullException.ThrowIfNull(rows);
        double lossSum = 0, weightSum = 0;
        foreach (RowBlock block in rows.ReadEpoch(new EpochPlan(0, 0, Shuffle: false, EvaluationBlockSize)))
        {
            var batch = new RowBatch(block.Rows, block.Order.Span);
            lossSum += _loss.Evaluate(batch, weights, biases);
            weightSum += batch.WeightSum();
        }

        return weightSum > 0 ? lossSum / weightSum : double.NaN;
    }

    /// <summary>
    /// The map between the optimizer's parameters and the raw model, or null when neither the features nor the label
    /// are scaled. Dense features are centered and divided by max(σ, max|x − μ| / K) (K =
    /// <see cref="LinearTrainerSettings.DenseScaleBound"/>); sparse ones whose values leave [−1, 1] are divided by their largest
    /// magnitude (or as <see cref="LinearTrainerSettings.SparseScaling"/> says), so that indicators and normalized text
    /// stay as they are. A standardized label is centered on the starting bias (the label mean, or a warm start's bias) and
    /// divided by its spread.
    /// </summary>
    private FeatureScaling? CreateScaling(DataStatistics? statistics, int features, bool sparse, float? labelCenter)
    {
        bool standardizeLabel = labelCenter.HasValue;
        double[]? spread = null;
        if (_settings.ScaleFeatures && statistics is { FeatureMaxDeviation: { } maxDeviation })
        {
            // Dense rows always have their spread measured; sparse ones when the request asked (SparseSpread).
            double[] MeasuredSpread() => statistics.FeatureSpread ?? throw new InvalidOperationException("The features' spread was not measured.");
            spread = !sparse
                ? Select(j => Math.Max(MeasuredSpread()[j], maxDeviation[j] / _settings.DenseScaleBound))
                : _settings.SparseScaling switch
                {
                    SparseFeatureScaling.MaxAbsAboveOne => Select(j => Math.Max(1.0, maxDeviation[j])),
                    SparseFeatureScaling.MaxAbs => maxDeviation,
                    _ => MeasuredSpread(),
                };
        }

        if (spread is null && !standardizeLabel)
            return null;
        double[]? mean = spread is null ? null : statistics!.FeatureMean;
        return standardizeLabel
            ? new FeatureScaling(mean, spread, features, labelCenter!.Value, statistics!.LabelSpread)
            : new FeatureScaling(mean, spread, features, labelCenter: 0, labelSpread: 1);

        // The divisor of each feature, in a new array (the statistics' arrays stay as measured).
        double[] Select(Func<int, double> divisor)
        {
            var result = new double[features];
            for (int j = 0; j < features; j++)
                result[j] = divisor(j);
            return result;
        }
    }
}
