using AdaBelief.Optimization;

namespace BreastCancerLogisticRegression;

/// <summary>Settings of the training run.</summary>
internal sealed record TrainingSettings(int Epochs, int BatchSize, double BaseLearningRate, int Seed);

/// <summary>One completed epoch: the training-set log-loss after it and the learning rate its steps used.</summary>
internal readonly record struct EpochResult(int Epoch, double TrainLogLoss, double LearningRate);

/// <summary>Mini-batch training of <see cref="LogisticRegressionModel"/> with AdaBelief.</summary>
internal static class Trainer
{
    public static AdaBeliefOptions CreateOptions(TrainingSettings settings) => new()
    {
        // Cosine decay over the run: large steps early, small ones to settle at the end.
        LearningRate = new CosineAnnealingLR(settings.BaseLearningRate, settings.Epochs),
        ScheduleUnit = ScheduleUnit.Epoch,
        Beta1 = 0.9,
        Beta2 = 0.999,
        Epsilon = 1e-16,
        WeightDecay = 1e-4,
        DecoupledWeightDecay = true,
    };

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>: each epoch shuffles the rows with a seeded generator,
    /// steps once per mini-batch (weights and bias as two tensors of one optimizer), then completes the epoch.
    /// </summary>
    public static void Train(
        LogisticRegressionModel model,
        Dataset train,
        TrainingSettings settings,
        AdaBeliefOptions options,
        Action<EpochResult> onEpoch)
    {
        var optimizer = new AdaBeliefOptimizer(new[] { train.FeatureCount, 1 }, options);
        var weightGradient = new float[train.FeatureCount];
        var biasGradient = new float[1];
        var order = Enumerable.Range(0, train.RowCount).ToArray();
        var random = new Random(settings.Seed);

        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var learningRate = optimizer.CurrentLearningRate;
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += settings.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(settings.BatchSize, order.Length - start));
                model.LossAndGradient(train, batch, weightGradient, biasGradient);
                optimizer.Step(model.Weights, weightGradient, model.Bias, biasGradient);
            }

            optimizer.CompleteEpoch();
            onEpoch(new EpochResult(epoch, model.Loss(train), learningRate));
        }
    }
}
