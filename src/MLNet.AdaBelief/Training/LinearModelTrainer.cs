using System.Diagnostics;
using System.Numerics.Tensors;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Trains a linear model with <see cref="AdaBeliefOptimizer"/>: mini-batches in the seeded block order of
/// <see cref="ITrainingRows"/>, scaled features, validation, early stopping and a plateau-aware learning rate.
/// </summary>
/// <remarks>
/// <para>
/// Per batch: the scaled-space parameters are mapped to raw space, the loss writes the gradient of the weighted mean
/// loss (summed as two halves, see <see cref="SecondHalfWorker"/>), the gradient is mapped back, and one optimizer
/// step updates weights and biases together. Per epoch: the training loss (running weighted mean), the validation
/// loss, <see cref="AdaBeliefOptimizer.CompleteEpoch"/>, <see cref="AdaBeliefOptimizer.ReportMetric"/> with the
/// monitored loss, early stopping, and a progress record.
/// </para>
/// <para>
/// Fixed summation order, whichever thread computes which half: the same seed and rows give bit-identical weights.
/// Weight decay of the options applies to the scaled weights only: the biases are left out, as ML.NET's regularized
/// linear trainers leave them.
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
        DataStatistics? statistics = StatisticsRequest(_settings.ScaleFeatures, _settings.BiasInitialization, warmStart: initial is not null, outputs) switch
        {
            null => null,
            { } request when measured is not null && request.IsMetBy(measured) => measured,
            { } request => DataStatistics.Compute(rows, request.MeasureFeatures, request.ClassCount),
        };
        FeatureScaling? scaling = statistics?.FeatureSpread is { } spread ? new FeatureScaling(statistics.FeatureMean, spread) : null;

        // Without validation rows of the user's, a held-out share of the training rows measures generalization.
        if (validation is null && _settings.HoldoutFraction > 0)
        {
            var split = new HoldoutSplit(_settings.HoldoutFraction, _settings.Seed);
            validation = new HoldoutTrainingRows(rows, split, heldOut: true);
            rows = new HoldoutTrainingRows(rows, split, heldOut: false);
        }

        // Parameters in the optimizer's (scaled) space, and the raw-space model the losses see.
        float[] weights = new float[outputs * features], biases = new float[outputs];
        float[] rawWeights = scaling is null ? weights : new float[weights.Length];
        float[] rawBiases = scaling is null ? biases : new float[outputs];
        if (initial is not null)
            StartFrom(initial, scaling, weights, biases);
        else if (_settings.BiasInitialization == BiasInitialization.FromLabels)
            _loss.InitialBiases(statistics!, biases);

        var optimizer = new AdaBeliefOptimizer(new[] { weights.Length, biases.Length }, _options) { WeightDecayExempt = [false, true] };
        float[] weightGradient = new float[weights.Length], biasGradient = new float[outputs];
        float[]? bestWeights = _settings.EarlyStoppingPatience is null ? null : (float[])weights.Clone();
        float[]? bestBiases = _settings.EarlyStoppingPatience is null ? null : (float[])biases.Clone();
        IterateAverage? average = _settings.AverageFromEpoch is { } firstAveraged ? new IterateAverage(weights.Length, outputs, firstAveraged) : null;

        var secondHalf = new LinearModelWeights(new float[weights.Length], new float[outputs]);
        var history = new List<TrainingProgress>(_settings.Epochs);
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        bool stoppedEarly = false;
        for (int epoch = 1; epoch <= _settings.Epochs; epoch++)
        {
            double learningRate = optimizer.CurrentLearningRate;
            var plan = new EpochPlan(_settings.Seed, epoch - 1, _settings.Shuffle, _settings.ShuffleBlockSize);
            double lossSum = 0, weightSum = 0;
            SecondHalfWorker? worker = null; // started for the first large dense block, stopped with the epoch
            try
            {
                foreach (RowBlock block in rows.ReadEpoch(plan))
                {
                    ReadOnlySpan<int> order = block.Order.Span;
                    if (worker is null && _settings.UseSecondCore && SecondHalfWorker.WorthStarting(block, _settings.BatchSize))
                        worker = new SecondHalfWorker(_loss.Clone(), weights.Length, outputs);
                    for (int start = 0; start < order.Length; start += _settings.BatchSize)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        int count = Math.Min(_settings.BatchSize, order.Length - start);
                        double batchWeight = new RowBatch(block.Rows, order.Slice(start, count)).WeightSum();
                        if (batchWeight <= 0)
                            continue; // nothing to learn from rows of weight 0

                        scaling?.ToRaw(weights, biases, rawWeights, rawBiases);
                        double batchLoss = AccumulateInHalves(block, start, count, rawWeights, rawBiases, (float)(1 / batchWeight), weightGradient, biasGradient, secondHalf, worker);
                        if (!double.IsFinite(batchLoss))
                            throw TrainingDivergence.Error($"the loss of a mini-batch became {batchLoss}", epoch, optimizer.CurrentLearningRate);
                        scaling?.GradientToScaled(weightGradient, biasGradient);
                        Step(optimizer, weights, weightGradient, biases, biasGradient, epoch);
                        lossSum += batchLoss;
                        weightSum += batchWeight;
                    }
                }
            }
            finally
            {
                worker?.Dispose();
            }

            if (!TensorPrimitives.IsFiniteAll<float>(weights) || !TensorPrimitives.IsFiniteAll<float>(biases))
                throw TrainingDivergence.Error("a weight became NaN or infinite", epoch, learningRate);

            // A gradient beyond about 1e19 overflows the float second moment to ∞; every later step of that weight is
            // then m/√∞ = 0, so training would silently stop while the weights stay finite.
            if (!TensorPrimitives.IsFiniteAll<float>(optimizer.SecondMoment))
                throw TrainingDivergence.Error("the optimizer's second moment overflowed to infinity (a gradient too large for float)", epoch, learningRate);
            // The model of this epoch: the running mean of the iterates once averaging has started, else the iterate.
            bool averaged = average?.Add(epoch, weights, biases) == true;
            float[] epochWeights = averaged ? average!.Weights : weights, epochBiases = averaged ? average!.Biases : biases;
            scaling?.ToRaw(epochWeights, epochBiases, rawWeights, rawBiases);
            double trainingLoss = weightSum > 0 ? lossSum / weightSum : double.NaN;
            double? validationLoss = validation is null ? null
                : scaling is null ? MeanLoss(validation, epochWeights, epochBiases) : MeanLoss(validation, rawWeights, rawBiases);
            if (validationLoss is { } v && !double.IsFinite(v))
                throw TrainingDivergence.Error($"the validation loss became {v}", epoch, learningRate);

            double monitored = validationLoss ?? trainingLoss;
            optimizer.CompleteEpoch();
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

        bool useAverage = average is { Count: > 0 };
        return new LinearTrainingResult(
            ToModel(bestWeights ?? (useAverage ? average!.Weights : weights), bestBiases ?? (useAverage ? average!.Biases : biases), scaling),
            history, bestEpoch, stoppedEarly);
    }

    /// <summary>
    /// The statistics training needs before its first epoch, or null for none: the features' for scaling, the labels'
    /// for biases started from them (not on a warm start), and class weights for a loss of several scores. A pass that
    /// reads the rows first can measure them for it.
    /// </summary>
    public static DataStatistics.Request? StatisticsRequest(bool scaleFeatures, BiasInitialization biasInitialization, bool warmStart, int outputs) =>
        scaleFeatures || (!warmStart && biasInitialization == BiasInitialization.FromLabels)
            ? new DataStatistics.Request(scaleFeatures, outputs > 1 ? outputs : 0)
            : null;

    /// <summary>
    /// The batch's loss sum, with its gradient in <paramref name="weightGradient"/> and <paramref name="biasGradient"/>:
    /// the first half's (the larger, for an odd count), plus the second half's, which the worker computes if there is
    /// one and this thread otherwise, into <paramref name="secondHalf"/>.
    /// </summary>
    private double AccumulateInHalves(RowBlock block, int start, int count, float[] weights, float[] biases, float gradientScale, float[] weightGradient, float[] biasGradient, LinearModelWeights secondHalf, SecondHalfWorker? worker)
    {
        int firstCount = (count + 1) / 2;
        ReadOnlyMemory<int> second = block.Order.Slice(start + firstCount, count - firstCount);

        // The rows each side reads next, for prefetching: with a worker, each core goes on to its own half of the next
        // batch; alone, this thread reads the second half next, then the next batch.
        int next = start + count;
        int nextFirstCount = (Math.Min(_settings.BatchSize, block.Order.Length - next) + 1) / 2;
        ReadOnlyMemory<int> afterSecond = block.Order[(next + (worker is null ? 0 : nextFirstCount))..];
        ReadOnlyMemory<int> afterFirst = worker is null ? block.Order[(start + firstCount)..] : block.Order.Slice(next, nextFirstCount);
        if (worker is not null && !second.IsEmpty)
            worker.Post(block.Rows, second, afterSecond, weights, biases, gradientScale);

        Array.Clear(weightGradient);
        Array.Clear(biasGradient);
        ReadOnlySpan<int> order = block.Order.Span;
        var first = new RowBatch(block.Rows, order.Slice(start, firstCount), afterFirst.Span);
        double loss = _loss.Accumulate(first, weights, biases, gradientScale, weightGradient, biasGradient);
        if (second.IsEmpty)
            return loss;

        double secondLoss;
        float[] secondWeights, secondBiases;
        if (worker is not null)
        {
            secondLoss = worker.Finish(_loss);
            secondWeights = worker.WeightGradient;
            secondBiases = worker.BiasGradient;
        }
        else
        {
            secondWeights = secondHalf.Weights;
            secondBiases = secondHalf.Biases;
            Array.Clear(secondWeights);
            Array.Clear(secondBiases);
            secondLoss = _loss.Accumulate(new RowBatch(block.Rows, second.Span, afterSecond.Span), weights, biases, gradientScale, secondWeights, secondBiases);
        }

        TensorPrimitives.Add(weightGradient, secondWeights, weightGradient);
        TensorPrimitives.Add(biasGradient, secondBiases, biasGradient);
        return loss + secondLoss;
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

    private static void Step(AdaBeliefOptimizer optimizer, float[] weights, float[] weightGradient, float[] biases, float[] biasGradient, int epoch)
    {
        double learningRate = optimizer.CurrentLearningRate;
        try
        {
            optimizer.Step(weights, weightGradient, biases, biasGradient);
        }
        catch (NonFiniteGradientException e)
        {
            throw TrainingDivergence.Error("the gradient became NaN or infinite", epoch, learningRate, e);
        }
    }

    private static void StartFrom(LinearModelWeights initial, FeatureScaling? scaling, float[] weights, float[] biases)
    {
        if (scaling is null)
        {
            initial.Weights.CopyTo(weights, 0);
            initial.Biases.CopyTo(biases, 0);
        }
        else
        {
            scaling.FromRaw(initial.Weights, initial.Biases, weights, biases);
        }
    }

    private static LinearModelWeights ToModel(float[] weights, float[] biases, FeatureScaling? scaling)
    {
        if (scaling is null)
            return new LinearModelWeights((float[])weights.Clone(), (float[])biases.Clone());
        float[] rawWeights = new float[weights.Length], rawBiases = new float[biases.Length];
        scaling.ToRaw(weights, biases, rawWeights, rawBiases);
        return new LinearModelWeights(rawWeights, rawBiases);
    }
}
