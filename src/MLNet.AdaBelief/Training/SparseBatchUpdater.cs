using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AdaBelief.Optimization.Kernels;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The mini-batch step for sparse rows, at a cost that follows the nonzeros: O(nonzeros in the batch × K) for the
/// scores, the gradient and the optimizer step, plus O(K) for the biases. Nothing per batch touches a feature that
/// no row of the batch holds.
/// </summary>
/// <remarks>
/// <para>
/// The weights are kept feature-major (F × K: one feature's K class weights contiguous), so a present feature is one
/// contiguous row for the scores, the gradient and <see cref="AdaBeliefOptimizer.StepSparse(Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float})"/>;
/// the raw model handed out is K × F as everywhere else. The features are scaled on the fly: each nonzero xⱼ is
/// multiplied by the feature's factor σᵧ/σⱼ as it is read, for the score, and the same product divided by σᵧ² is the
/// gradient's factor 1/(σⱼσᵧ) (see <see cref="FeatureScaling"/>); the weights stay in the scaled space, and they are
/// folded to raw space only when the epoch loop asks for the raw model.
/// </para>
/// <para>
/// Each batch comes prepared (<see cref="PreparedSparseBatch"/>: every nonzero's feature, scaled value and slot); this
/// thread scores the rows, and another core scatters a large batch's gradient row by row as the rows are scored, then
/// prepares the next batch while this thread steps (<see cref="SparseBatchPipeline"/>). The gradient of a batch is
/// gathered per present feature, in the order features first appear in the batch's rows, and the optimizer takes the
/// lazy step (PyTorch's SparseAdam): the weights and moments of features absent from the batch stay as they are. Every
/// feature a row of the batch holds is present, also when its gradient is 0. Rows are summed one after another in batch
/// order: the same rows in the same order give the same bits.
/// </para>
/// </remarks>
internal sealed class SparseBatchUpdater : IBatchUpdater
{
    /// <summary>
    /// Nonzeros whose feature's K weights are requested ahead of the one being read: a text row's features are scattered
    /// over a weight matrix far larger than the cache.
    /// </summary>
    private const int WeightPrefetchDistance = 6;

    private readonly ILinearLoss _loss;
    private readonly FeatureScaling _scaling;
    private readonly int _features, _outputs;
    private readonly float[] _weights; // F × K, feature-major, scaled space
    private readonly float[] _biases;
    private readonly float[] _classMajor; // K × F scratch for the fold to raw space; empty for K = 1, where the layouts agree
    private readonly SparseBatchPipeline _pipeline;
    private readonly int _batchSize;
    private readonly float[] _scores, _derivatives, _biasGradient;
    private readonly double[] _biasGradientSum;

    /// <param name="loss">The loss; it fixes K.</param>
    /// <param name="settings">The batch size and whether a second core may help.</param>
    /// <param name="options">The optimizer's settings.</param>
    /// <param name="scaling">The per-feature and label factors (sparse features are never centered).</param>
    /// <param name="start">The raw-space model to start from.</param>
    /// <exception cref="ArgumentException">The scaling centers the features.</exception>
    public SparseBatchUpdater(ILinearLoss loss, LinearTrainerSettings settings, AdaBeliefOptions options, FeatureScaling scaling, LinearModelWeights start)
    {
        if (!scaling.Mean.IsEmpty)
            throw new ArgumentException("Sparse rows are scaled without centering; the scaling has feature means.", nameof(scaling));
        _loss = loss;
        _scaling = scaling;
        _features = scaling.FeatureCount;
        _outputs = loss.OutputCount;
        _weights = new float[_features * _outputs];
        _biases = new float[_outputs];
        _classMajor = _outputs == 1 ? [] : new float[_weights.Length];
        if (_outputs == 1)
        {
            scaling.FromRaw(start.Weights, start.Biases, _weights, _biases);
        }
        else
        {
            scaling.FromRaw(start.Weights, start.Biases, _classMajor, _biases);
            Transpose(_classMajor, _weights, _outputs, _features);
        }

        _batchSize = settings.BatchSize;
        _pipeline = new SparseBatchPipeline(scaling, _outputs, settings.UseSecondCore);
        _scores = new float[_outputs];
        _derivatives = new float[_outputs];
        _biasGradient = new float[_outputs];
        _biasGradientSum = new double[_outputs];
        Optimizer = new AdaBeliefOptimizer(new[] { _weights.Length, _outputs }, WithPerRowStepCounts(options)) { WeightDecayMask = [true, false] };
        _pipeline.HelpWith(Optimizer);
    }

    /// <inheritdoc/>
    public AdaBeliefOptimizer Optimizer { get; }

    /// <inheritdoc/>
    public void BeginBlock(RowBlock block)
    {
    }

    /// <inheritdoc/>
    public double Step(RowBlock block, int start, int count, double batchWeight, int epoch)
    {
        ReadOnlyMemory<int> ahead = block.Order[(start + count)..];
        PreparedSparseBatch prepared = _pipeline.Begin(block.Rows, block.Order.Slice(start, count), ahead, Math.Min(_batchSize, ahead.Length));
        var batch = new RowBatch(block.Rows, block.Order.Span.Slice(start, count));
        float gradientScale = (float)(1 / batchWeight);
        double batchLoss;
        try
        {
            batchLoss = _outputs == 1
                ? ScoreSingleOutput(batch, prepared, gradientScale)
                : ScoreOutputs(batch, prepared, gradientScale);
        }
        catch
        {
            _pipeline.Abandon();
            throw;
        }

        Span<float> gradient = _pipeline.FinishGradient();
        if (!double.IsFinite(batchLoss))
            throw TrainingDivergence.Found($"the loss of a mini-batch became {batchLoss}", epoch, Optimizer.CurrentLearningRate);

        for (int k = 0; k < _outputs; k++)
            _biasGradient[k] = _scaling.BiasGradientToScaled((float)_biasGradientSum[k]);

        double learningRate = Optimizer.CurrentLearningRate;
        try
        {
            Optimizer.StepSparseDistinctRows(_weights, _outputs, prepared.Present, gradient, _biases, _biasGradient); // each feature once, by its slot
        }
        catch (NonFiniteGradientException e)
        {
            throw TrainingDivergence.Found("the gradient became NaN or infinite", epoch, learningRate, e);
        }

        return batchLoss;
    }

    /// <inheritdoc/>
    public void EndBlock() => _pipeline.Settle();

    /// <inheritdoc/>
    /// <remarks>
    /// The other core's thread is kept for the next epoch and stopped when the updater is disposed: a run of many short
    /// epochs (GitHub issues: 143 a fold, of 21 batches) started and joined a thread for each.
    /// </remarks>
    public void EndEpoch() => _pipeline.Settle();

    /// <inheritdoc/>
    /// <remarks>
    /// A feature's weights and moments change only in the lazy steps that name it, and those note any value they write
    /// that is not finite (<see cref="AdaBeliefOptimizer.LazyWritesFinite"/>). So after the first epoch, whose scan also
    /// covers a warm start's weights that no batch names, only the biases and their moments are scanned, unless that
    /// note says otherwise: scanning all K × F weights and moments at every epoch's end took a twentieth of GitHub
    /// issues' five folds (143 epochs a fold).
    /// </remarks>
    public void CheckFinite(int epoch, double learningRate)
    {
        if (epoch == 1 || !Optimizer.LazyWritesFinite)
            LinearParameterChecks.CheckFinite(_weights, _biases, Optimizer, epoch, learningRate);
        else
            LinearParameterChecks.CheckFinite(default, _biases, Optimizer.SecondMoment[_weights.Length..], epoch, learningRate);
    }

    /// <inheritdoc/>
    public void WriteRaw(Span<float> weights, Span<float> biases)
    {
        if (_outputs == 1)
        {
            _scaling.ToRaw(_weights, _biases, weights, biases);
            return;
        }

        Transpose(_weights, _classMajor, _features, _outputs);
        _scaling.ToRaw(_classMajor, _biases, weights, biases);
    }

    /// <inheritdoc/>
    public void Dispose() => _pipeline.Dispose();

    /// <summary>
    /// One score per row, a gathered dot product over the row's prepared nonzeros, and the row's gradient coefficient
    /// for the pipeline to scatter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ScoreSingleOutput(RowBatch batch, PreparedSparseBatch prepared, float gradientScale)
    {
        var rowLoss = new SingleOutputRowLoss(this, prepared, gradientScale);
        float bias = _scaling.RawBias(_biases[0]);
        int count = batch.Indices.Length;
        for (int position = 0; position < count; position += 2)
        {
            if (position + 1 == count)
            {
                rowLoss.Add(position, batch.Indices[position], Dot(prepared.Features(position), prepared.Scaled(position), bias));
                break;
            }

            float first = DotPair(prepared.Features(position), prepared.Scaled(position), prepared.Features(position + 1), prepared.Scaled(position + 1), bias, out float second);
            rowLoss.Add(position, batch.Indices[position], first);
            rowLoss.Add(position + 1, batch.Indices[position + 1], second);
        }

        _biasGradientSum[0] = rowLoss.BiasGradientSum;
        return rowLoss.LossSum;
    }

    /// <summary>sum + Σ scaled[k]·w[features[k]] over k from <paramref name="start"/> on, added in the row's order.</summary>
    private float Dot(ReadOnlySpan<int> features, ReadOnlySpan<float> scaled, float sum, int start = 0)
    {
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        for (int k = start; k < features.Length; k++)
        {
            PrefetchWeightAfter(features, k);
            sum += scaled[k] * Unsafe.Add(ref weights, (nuint)features[k]);
        }

        return sum;
    }

    /// <summary>
    /// Two rows' <see cref="Dot"/> side by side: each row is added in its own order, so each gets the bits it gets
    /// alone, but the two chains of dependent additions (a few cycles each, a row after another) overlap.
    /// </summary>
    private float DotPair(ReadOnlySpan<int> features, ReadOnlySpan<float> scaled, ReadOnlySpan<int> otherFeatures, ReadOnlySpan<float> otherScaled, float bias, out float otherSum)
    {
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        float sum = bias, other = bias;
        int common = Math.Min(features.Length, otherFeatures.Length);
        for (int k = 0; k < common; k++)
        {
            PrefetchWeightAfter(features, k);
            PrefetchWeightAfter(otherFeatures, k);
            sum += scaled[k] * Unsafe.Add(ref weights, (nuint)features[k]);
            other += otherScaled[k] * Unsafe.Add(ref weights, (nuint)otherFeatures[k]);
        }

        // The longer row's rest alone.
        otherSum = Dot(otherFeatures, otherScaled, other, common);
        return Dot(features, scaled, sum, common);
    }

    /// <summary>A single-output batch's running sums: each scored row's loss and gradient coefficient, rows in batch order.</summary>
    private ref struct SingleOutputRowLoss(SparseBatchUpdater updater, PreparedSparseBatch prepared, float gradientScale)
    {
        private readonly float _labelFactor = updater.LabelGradientFactor();
        private readonly Span<float> _score = updater._scores.AsSpan(0, 1);
        private readonly Span<float> _derivative = updater._derivatives.AsSpan(0, 1);

        public double LossSum { get; private set; }

        public double BiasGradientSum { get; private set; }

        public void Add(int position, int row, float score)
        {
            _score[0] = score;
            float weight = prepared.Weight(position);
            LossSum += weight * updater._loss.EvaluateRow(_score, prepared.Label(position), row, _derivative);
            float coefficient = gradientScale * weight * _derivative[0];
            BiasGradientSum += coefficient;
            updater._pipeline.RowCoefficients(position)[0] = coefficient * _labelFactor;
            updater._pipeline.RowScored(position);
        }
    }

    /// <summary>K scores per row (<see cref="ScoreRow"/>), and the row's K gradient coefficients for the pipeline to scatter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ScoreOutputs(RowBatch batch, PreparedSparseBatch prepared, float gradientScale)
    {
        int outputs = _outputs;
        Span<float> scores = _scores;
        Span<float> derivatives = _derivatives;
        Span<float> biases = stackalloc float[outputs];
        for (int k = 0; k < outputs; k++)
            biases[k] = _scaling.RawBias(_biases[k]);
        float labelFactor = LabelGradientFactor();
        Array.Clear(_biasGradientSum);
        double lossSum = 0;
        for (int position = 0; position < batch.Indices.Length; position++)
        {
            int row = batch.Indices[position];
            ScoreRow(prepared.Features(position), prepared.Scaled(position), biases, scores);

            float weight = prepared.Weight(position);
            lossSum += weight * _loss.EvaluateRow(scores, prepared.Label(position), row, derivatives);
            Span<float> coefficients = _pipeline.RowCoefficients(position);
            for (int k = 0; k < outputs; k++)
            {
                float coefficient = gradientScale * weight * derivatives[k];
                _biasGradientSum[k] += coefficient;
                coefficients[k] = coefficient * labelFactor;
            }

            _pipeline.RowScored(position);
        }

        return lossSum;
    }

    /// <summary>
    /// One row's K scores: the biases plus each nonzero's scaled value times its feature's K weights, in the row's
    /// order. K from one to two registers is summed in two registers that overlap when K is not a whole number of them:
    /// both hold the same sums for the overlapped classes, so storing both gives every score the bits of one fused
    /// multiply-add per nonzero, as the sum in memory does, without a load and store of the scores per nonzero.
    /// </summary>
    private void ScoreRow(ReadOnlySpan<int> features, ReadOnlySpan<float> scaled, ReadOnlySpan<float> biases, Span<float> scores)
    {
        int outputs = _outputs;
        if (Vector512.IsHardwareAccelerated && outputs >= Vector512<float>.Count && outputs <= 2 * Vector512<float>.Count)
            ScoreRowInRegisters<Width512, Vector512<float>>(features, scaled, biases, scores);
        else if (Vector256.IsHardwareAccelerated && outputs >= Vector256<float>.Count && outputs <= 2 * Vector256<float>.Count)
            ScoreRowInRegisters<Width256, Vector256<float>>(features, scaled, biases, scores);
        else if (Vector128.IsHardwareAccelerated && outputs >= Vector128<float>.Count && outputs <= 2 * Vector128<float>.Count)
            ScoreRowInRegisters<Width128, Vector128<float>>(features, scaled, biases, scores);
        else
            ScoreRowInMemory(features, scaled, biases, scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreRowInRegisters<TWidth, TVector>(
        ReadOnlySpan<int> features, ReadOnlySpan<float> scaled, ReadOnlySpan<float> biases, Span<float> scores)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        nuint outputs = (nuint)_outputs;
        nuint high = outputs - (nuint)TWidth.Count;
        ref float bias = ref MemoryMarshal.GetReference(biases);
        TVector lowSum = TWidth.Load(ref bias, 0);
        TVector highSum = TWidth.Load(ref bias, high);
        for (int n = 0; n < features.Length; n++)
        {
            PrefetchWeightsAfter(features, n);
            ref float row = ref Unsafe.Add(ref weights, (nuint)features[n] * outputs);
            TVector factor = TWidth.Splat(scaled[n]);
            lowSum = TWidth.MultiplyAdd(TWidth.Load(ref row, 0), factor, lowSum);
            highSum = TWidth.MultiplyAdd(TWidth.Load(ref row, high), factor, highSum);
        }

        ref float score = ref MemoryMarshal.GetReference(scores);
        TWidth.Store(lowSum, ref score, 0);
        TWidth.Store(highSum, ref score, high);
    }

    private void ScoreRowInMemory(ReadOnlySpan<int> features, ReadOnlySpan<float> scaled, ReadOnlySpan<float> biases, Span<float> scores)
    {
        ReadOnlySpan<float> weights = _weights;
        int outputs = _outputs;
        biases.CopyTo(scores);
        for (int n = 0; n < features.Length; n++)
        {
            PrefetchWeightsAfter(features, n);
            DenseRowMath.AddScaled(weights.Slice(features[n] * outputs, outputs), scaled[n], scores);
        }
    }

    /// <summary>Starts loading the K weights of the feature <see cref="WeightPrefetchDistance"/> nonzeros after position n of a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchWeightsAfter(ReadOnlySpan<int> features, int n)
    {
        int ahead = n + WeightPrefetchDistance;
        if (ahead < features.Length)
            CachePrefetch.Range(ref _weights[features[ahead] * _outputs], (nuint)_outputs);
    }

    /// <summary><see cref="PrefetchWeightsAfter"/> for a single-output model: one weight, one line, no range to walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchWeightAfter(ReadOnlySpan<int> features, int n)
    {
        int ahead = n + WeightPrefetchDistance;
        if (ahead < features.Length)
            CachePrefetch.Line(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), (nuint)features[ahead]));
    }

    /// <summary>
    /// 1/σᵧ²: the scaled value xⱼσᵧ/σⱼ that enters the score, times this, is the factor 1/(σⱼσᵧ) of the scaled-space
    /// gradient (see <see cref="FeatureScaling"/>); exactly 1 unless a regression label is standardized.
    /// </summary>
    private float LabelGradientFactor() => _scaling.LabelScale == 1f ? 1f : 1f / (_scaling.LabelScale * _scaling.LabelScale);

    /// <summary>destination[c × rows + r] = source[r × columns + c]: a rows × columns matrix transposed.</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
                destination[(c * rows) + r] = row[c];
        }
    }

    /// <summary>
    /// The options with each feature's weights bias-corrected by the count of batches it occurred in
    /// (<see cref="SparseStepCount.PerRow"/>), unless rectification needs the global count. With the global t a token
    /// first seen late starts with next to no correction, so its steps are several times the learning rate: on the
    /// synthetic text set that cost 0.03 AUC (0.698 against 0.730), on GitHub issues 0.007 micro accuracy.
    /// </summary>
    private static AdaBeliefOptions WithPerRowStepCounts(AdaBeliefOptions options)
    {
        if (options.Rectify || options.SparseStepCount == SparseStepCount.PerRow)
            return options;
        AdaBeliefOptions perRow = options.Clone();
        perRow.SparseStepCount = SparseStepCount.PerRow;
        return perRow;
    }
}
