using AdaBelief.Optimization;

namespace BreastCancerLogisticRegression;

/// <summary>Settings of the training run.</summary>
internal sealed record TrainingSettings(int Epochs, int BatchSize, double PeakLearningRate, int Seed);

/// <summary>One completed epoch: the training-set log-loss after it and the learning rate of its first step.</summary>
internal readonly record struct EpochResult(int Epoch, double TrainLogLoss, double LearningRate);

/// <summary>Mini-batch training of <see cref="LogisticRegressionModel"/> with AdaBelief, resumable from a checkpoint.</summary>
internal sealed class Trainer
{
    private readonly LogisticRegressionModel _model;
    private readonly Dataset _train;
    private readonly TrainingSettings _settings;
    private readonly AdaBeliefOptimizer _optimizer;
    private readonly float[] _weightGradient;
    private readonly float[] _biasGradient = new float[1];

    public Trainer(LogisticRegressionModel model, Dataset train, TrainingSettings settings)
    {
        _model = model;
        _train = train;
        _settings = settings;
        _weightGradient = new float[train.FeatureCount];

        // Weights and bias are two tensors of one optimizer; the mask decays the weights and leaves the bias alone.
        _optimizer = new AdaBeliefOptimizer(new[] { train.FeatureCount, 1 }, CreateOptions(settings, StepsPerEpoch))
        {
            WeightDecayMask = [true, false],
        };
    }

    public AdaBeliefOptions Options => _optimizer.Options;

    /// <summary>Epochs completed so far (restored from a checkpoint on resume).</summary>
    public int CompletedEpochs => (int)_optimizer.EpochCount;

    private int StepsPerEpoch => (_train.RowCount + _settings.BatchSize - 1) / _settings.BatchSize;

    /// <summary>
    /// The optimizer's settings. The schedule is a shape (a short linear warm-up, then a cosine decay) sized here to
    /// the run's exact number of steps, so it ends where training ends.
    /// </summary>
    public static AdaBeliefOptions CreateOptions(TrainingSettings settings, int stepsPerEpoch) => new()
    {
        LearningRate = ScheduleShape.WarmupCosine(settings.PeakLearningRate, warmupFraction: 0.05).Size((long)settings.Epochs * stepsPerEpoch),
        ScheduleUnit = ScheduleUnit.Step,
        Beta1 = 0.9,
        Beta2 = 0.999,
        Epsilon = 1e-16,
        WeightDecay = 1e-4,
        DecoupledWeightDecay = true,
    };

    /// <summary>
    /// Trains until <paramref name="untilEpoch"/> epochs are complete. Each epoch's row order comes from the seed and
    /// the epoch number alone, so a run resumed from a checkpoint visits the rows exactly as an uninterrupted one.
    /// </summary>
    public void Train(int untilEpoch, Action<EpochResult> onEpoch)
    {
        var order = new int[_train.RowCount];
        for (var epoch = CompletedEpochs + 1; epoch <= untilEpoch; epoch++)
        {
            var learningRate = _optimizer.CurrentLearningRate;
            for (var i = 0; i < order.Length; i++)
                order[i] = i;
            new Random(HashCode.Combine(_settings.Seed, epoch)).Shuffle(order);
            for (var start = 0; start < order.Length; start += _settings.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(_settings.BatchSize, order.Length - start));
                _model.LossAndGradient(_train, batch, _weightGradient, _biasGradient);
                _optimizer.Step(_model.Weights, _weightGradient, _model.Bias, _biasGradient);
            }

            _optimizer.CompleteEpoch();
            onEpoch(new EpochResult(epoch, _model.Loss(_train), learningRate));
        }
    }

    /// <summary>Writes the model's parameters and the optimizer's state (moments and counters) to <paramref name="stream"/>.</summary>
    public void SaveCheckpoint(Stream stream)
    {
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(_model.Weights.Length);
            foreach (var w in _model.Weights)
                writer.Write(w);
            writer.Write(_model.Bias[0]);
        }

        AdaBeliefStateSerializer.Write(_optimizer.ExportState(), stream);
    }

    /// <summary>Restores what <see cref="SaveCheckpoint"/> wrote: training then continues as if it had never stopped.</summary>
    public void LoadCheckpoint(Stream stream)
    {
        using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var count = reader.ReadInt32();
            if (count != _model.Weights.Length)
                throw new InvalidDataException($"The checkpoint has {count} weights; the model has {_model.Weights.Length}.");
            for (var j = 0; j < count; j++)
                _model.Weights[j] = reader.ReadSingle();
            _model.Bias[0] = reader.ReadSingle();
        }

        _optimizer.RestoreState(AdaBeliefStateSerializer.Read(stream));
    }
}
