using System.Numerics.Tensors;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The mini-batch step for dense rows: the scaled-space parameters are mapped to raw space, the loss writes the
/// gradient of the weighted mean loss (summed as two halves, see <see cref="SecondHalfWorker"/>), the gradient is
/// mapped back, and one dense optimizer step updates weights and biases together.
/// </summary>
/// <remarks>
/// Per batch this costs O(rows × K × F) for the loss and O(K × F) for the maps and the step: for dense rows the loss
/// dominates. Fixed summation order, whichever thread computes which half: the same seed and rows give bit-identical
/// weights.
/// </remarks>
internal sealed class DenseBatchUpdater : IBatchUpdater
{
    private readonly ILinearLoss _loss;
    private readonly LinearTrainerSettings _settings;
    private readonly FeatureScaling? _scaling;
    private readonly int _outputs;
    private readonly float[] _weights, _biases, _rawWeights, _rawBiases;
    private readonly float[] _weightGradient, _biasGradient;
    private readonly LinearModelWeights _secondHalf;
    private SecondHalfWorker? _worker; // started for the first large block of an epoch, stopped with the epoch

    /// <param name="loss">The loss; it fixes K.</param>
    /// <param name="settings">The batch size and whether a second core may help.</param>
    /// <param name="options">The optimizer's settings.</param>
    /// <param name="scaling">The map between the optimizer's parameters and the raw model, or null for none.</param>
    /// <param name="start">The raw-space model to start from.</param>
    public DenseBatchUpdater(ILinearLoss loss, LinearTrainerSettings settings, AdaBeliefOptions options, FeatureScaling? scaling, LinearModelWeights start)
    {
        _loss = loss;
        _settings = settings;
        _scaling = scaling;
        _outputs = loss.OutputCount;
        _weights = new float[start.Weights.Length];
        _biases = new float[_outputs];
        if (scaling is null)
        {
            start.Weights.CopyTo(_weights, 0);
            start.Biases.CopyTo(_biases, 0);
        }
        else
        {
            scaling.FromRaw(start.Weights, start.Biases, _weights, _biases);
        }

        _rawWeights = scaling is null ? _weights : new float[_weights.Length];
        _rawBiases = scaling is null ? _biases : new float[_outputs];
        _weightGradient = new float[_weights.Length];
        _biasGradient = new float[_outputs];
        _secondHalf = new LinearModelWeights(new float[_weights.Length], new float[_outputs]);
        Optimizer = new AdaBeliefOptimizer(new[] { _weights.Length, _outputs }, options) { WeightDecayMask = [true, false] };
    }

    /// <inheritdoc/>
    public AdaBeliefOptimizer Optimizer { get; }

    /// <inheritdoc/>
    public void BeginBlock(RowBlock block)
    {
        if (_worker is null && _settings.UseSecondCore && SecondHalfWorker.WorthStarting(block, _settings.BatchSize, _outputs))
            _worker = new SecondHalfWorker(_loss.Clone(), _weights.Length, _outputs);
    }

    /// <inheritdoc/>
    public double Step(RowBlock block, int start, int count, double batchWeight, int epoch)
    {
        _scaling?.ToRaw(_weights, _biases, _rawWeights, _rawBiases);
        double batchLoss = AccumulateInHalves(block, start, count, (float)(1 / batchWeight));
        if (!double.IsFinite(batchLoss))
            throw TrainingDivergence.Found($"the loss of a mini-batch became {batchLoss}", epoch, Optimizer.CurrentLearningRate);
        _scaling?.GradientToScaled(_weightGradient, _biasGradient);

        double learningRate = Optimizer.CurrentLearningRate;
        try
        {
            Optimizer.Step(_weights, _weightGradient, _biases, _biasGradient);
        }
        catch (NonFiniteGradientException e)
        {
            throw TrainingDivergence.Found("the gradient became NaN or infinite", epoch, learningRate, e);
        }

        return batchLoss;
    }

    /// <inheritdoc/>
    public void EndBlock()
    {
    }

    /// <inheritdoc/>
    public void EndEpoch()
    {
        _worker?.Dispose();
        _worker = null;
    }

    /// <inheritdoc/>
    public void CheckFinite(int epoch, double learningRate) => LinearParameterChecks.CheckFinite(_weights, _biases, Optimizer, epoch, learningRate);

    /// <inheritdoc/>
    public void WriteRaw(Span<float> weights, Span<float> biases)
    {
        if (_scaling is null)
        {
            _weights.CopyTo(weights);
            _biases.CopyTo(biases);
        }
        else
        {
            _scaling.ToRaw(_weights, _biases, weights, biases);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => EndEpoch();

    /// <summary>
    /// The batch's loss sum at the raw model, with its gradient in the gradient arrays: the first half's (the larger,
    /// for an odd count), plus the second half's, which the worker computes if there is one and this thread otherwise.
    /// </summary>
    private double AccumulateInHalves(RowBlock block, int start, int count, float gradientScale)
    {
        int firstCount = (count + 1) / 2;
        ReadOnlyMemory<int> second = block.Order.Slice(start + firstCount, count - firstCount);
        SecondHalfWorker? worker = _worker;

        // The rows each side reads next, for prefetching: with a worker, each core goes on to its own half of the next
        // batch; alone, this thread reads the second half next, then the next batch.
        int next = start + count;
        int nextFirstCount = (Math.Min(_settings.BatchSize, block.Order.Length - next) + 1) / 2;
        ReadOnlyMemory<int> afterSecond = block.Order[(next + (worker is null ? 0 : nextFirstCount))..];
        ReadOnlyMemory<int> afterFirst = worker is null ? block.Order[(start + firstCount)..] : block.Order.Slice(next, nextFirstCount);
        if (worker is not null && !second.IsEmpty)
            worker.Post(block.Rows, second, afterSecond, _rawWeights, _rawBiases, gradientScale);

        Array.Clear(_weightGradient);
        Array.Clear(_biasGradient);
        ReadOnlySpan<int> order = block.Order.Span;
        var first = new RowBatch(block.Rows, order.Slice(start, firstCount), afterFirst.Span);
        double loss = _loss.Accumulate(first, _rawWeights, _rawBiases, gradientScale, _weightGradient, _biasGradient);
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
            secondWeights = _secondHalf.Weights;
            secondBiases = _secondHalf.Biases;
            Array.Clear(secondWeights);
            Array.Clear(secondBiases);
            secondLoss = _loss.Accumulate(new RowBatch(block.Rows, second.Span, afterSecond.Span), _rawWeights, _rawBiases, gradientScale, secondWeights, secondBiases);
        }

        TensorPrimitives.Add(_weightGradient, secondWeights, _weightGradient);
        TensorPrimitives.Add(_biasGradient, secondBiases, _biasGradient);
        return loss + secondLoss;
    }
}
