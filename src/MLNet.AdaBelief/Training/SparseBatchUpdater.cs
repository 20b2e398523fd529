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
/// The gradient of a batch is gathered per present feature, in the order features first appear in the batch's rows,
/// and the optimizer takes the lazy step (PyTorch's SparseAdam): the weights and moments of features absent from the
/// batch stay as they are. Every feature a row of the batch holds is present, also when its gradient is 0. Rows are
/// summed one after another in batch order: the same rows in the same order give the same bits.
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
    private readonly int[] _slotOf; // per feature: its position among the batch's present features, or −1
    private readonly float[] _scores, _derivatives, _coefficients, _biasGradient;
    private readonly double[] _biasGradientSum;
    private int[] _present = new int[256];
    private float[] _gradient;
    private float[] _rowValues = new float[64]; // one row's nonzeros times their factors
    private int[] _rowSlots = new int[64]; // one row's features' slots
    private int _presentCount;

    /// <param name="loss">The loss; it fixes K.</param>
    /// <param name="options">The optimizer's settings.</param>
    /// <param name="scaling">The per-feature and label factors (sparse features are never centered).</param>
    /// <param name="start">The raw-space model to start from.</param>
    /// <exception cref="ArgumentException">The scaling centers the features.</exception>
    public SparseBatchUpdater(ILinearLoss loss, AdaBeliefOptions options, FeatureScaling scaling, LinearModelWeights start)
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

        _slotOf = new int[_features];
        Array.Fill(_slotOf, -1);
        _gradient = new float[_present.Length * _outputs];
        _scores = new float[_outputs];
        _derivatives = new float[_outputs];
        _coefficients = new float[_outputs];
        _biasGradient = new float[_outputs];
        _biasGradientSum = new double[_outputs];
        Optimizer = new AdaBeliefOptimizer(new[] { _weights.Length, _outputs }, WithPerRowStepCounts(options)) { WeightDecayMask = [true, false] };
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
        ReadOnlySpan<int> order = block.Order.Span;
        var batch = new RowBatch(block.Rows, order.Slice(start, count), order[(start + count)..]);
        float gradientScale = (float)(1 / batchWeight);
        double batchLoss;
        try
        {
            batchLoss = _outputs == 1
                ? AccumulateSingleOutput(batch, gradientScale)
                : AccumulateOutputs(batch, gradientScale);
            if (!double.IsFinite(batchLoss))
                throw TrainingDivergence.Found($"the loss of a mini-batch became {batchLoss}", epoch, Optimizer.CurrentLearningRate);

            for (int k = 0; k < _outputs; k++)
                _biasGradient[k] = _scaling.BiasGradientToScaled((float)_biasGradientSum[k]);

            double learningRate = Optimizer.CurrentLearningRate;
            try
            {
                Optimizer.StepSparse(_weights, _outputs, _present.AsSpan(0, _presentCount), _gradient.AsSpan(0, _presentCount * _outputs), _biases, _biasGradient);
            }
            catch (NonFiniteGradientException e)
            {
                throw TrainingDivergence.Found("the gradient became NaN or infinite", epoch, learningRate, e);
            }
        }
        finally
        {
            ForgetPresent();
        }

        return batchLoss;
    }

    /// <inheritdoc/>
    public void EndEpoch()
    {
    }

    /// <inheritdoc/>
    public void CheckFinite(int epoch, double learningRate) => LinearParameterChecks.CheckFinite(_weights, _biases, Optimizer, epoch, learningRate);

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
    public void Dispose()
    {
    }

    /// <summary>
    /// One score per row: a gathered dot product over the row's nonzeros, and a scattered gradient. The first loop
    /// keeps each nonzero's scaled value and slot, so the second touches only the batch's compact gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double AccumulateSingleOutput(RowBatch batch, float gradientScale)
    {
        RowStore rows = batch.Rows;
        ReadOnlySpan<float> labels = rows.Labels;
        ReadOnlySpan<float> rawFactor = _scaling.RawFactor;
        ReadOnlySpan<float> weights = _weights;
        Span<float> scores = _scores;
        Span<float> derivatives = _derivatives;
        float bias = _scaling.RawBias(_biases[0]);
        float labelFactor = LabelGradientFactor();
        double lossSum = 0, biasGradientSum = 0;
        batch.PrefetchFirstRows();
        for (int position = 0; position < batch.Indices.Length; position++)
        {
            batch.PrefetchRowAfter(position);
            int row = batch.Indices[position];
            ReadOnlySpan<int> indices = rows.SparseIndices(row);
            ReadOnlySpan<float> values = rows.SparseValues(row);
            Span<float> scaled = ScaledValues(indices.Length);
            Span<int> slots = _rowSlots.AsSpan(0, indices.Length);
            float score = bias;
            for (int k = 0; k < indices.Length; k++)
            {
                (int j, float value) = TakeNonzero(indices, values, rawFactor, k, scaled, slots);
                score += value * weights[j];
            }

            scores[0] = score;
            float weight = rows.Weight(row);
            lossSum += weight * _loss.EvaluateRow(scores, labels[row], row, derivatives);
            float coefficient = gradientScale * weight * derivatives[0];
            biasGradientSum += coefficient;
            float weightCoefficient = coefficient * labelFactor;
            Span<float> gradient = _gradient;
            for (int k = 0; k < slots.Length; k++)
                gradient[slots[k]] += weightCoefficient * scaled[k];
        }

        _biasGradientSum[0] = biasGradientSum;
        return lossSum;
    }

    /// <summary>K scores per row (<see cref="ScoreRow"/>), then each nonzero's K gradients, SIMD across K.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double AccumulateOutputs(RowBatch batch, float gradientScale)
    {
        RowStore rows = batch.Rows;
        int outputs = _outputs;
        ReadOnlySpan<float> labels = rows.Labels;
        Span<float> scores = _scores;
        Span<float> derivatives = _derivatives;
        Span<float> coefficients = _coefficients;
        Span<float> biases = stackalloc float[outputs];
        for (int k = 0; k < outputs; k++)
            biases[k] = _scaling.RawBias(_biases[k]);
        float labelFactor = LabelGradientFactor();
        Array.Clear(_biasGradientSum);
        double lossSum = 0;
        batch.PrefetchFirstRows();
        for (int position = 0; position < batch.Indices.Length; position++)
        {
            batch.PrefetchRowAfter(position);
            int row = batch.Indices[position];
            ReadOnlySpan<int> indices = rows.SparseIndices(row);
            ReadOnlySpan<float> values = rows.SparseValues(row);
            Span<float> scaled = ScaledValues(indices.Length);
            Span<int> slots = _rowSlots.AsSpan(0, indices.Length);
            ScoreRow(indices, values, biases, scaled, slots, scores);

            float weight = rows.Weight(row);
            lossSum += weight * _loss.EvaluateRow(scores, labels[row], row, derivatives);
            for (int k = 0; k < outputs; k++)
            {
                float coefficient = gradientScale * weight * derivatives[k];
                _biasGradientSum[k] += coefficient;
                coefficients[k] = coefficient * labelFactor;
            }

            for (int n = 0; n < slots.Length; n++)
                DenseRowMath.AddScaled(coefficients, scaled[n], _gradient.AsSpan(slots[n] * outputs, outputs));
        }

        return lossSum;
    }

    /// <summary>
    /// One row's K scores (the biases plus each nonzero's scaled value times its feature's K weights, in the row's
    /// order), with each nonzero's scaled value and slot kept for the gradient. K from one to two registers is summed in
    /// two registers that overlap when K is not a whole number of them: both hold the same sums for the overlapped
    /// classes, so storing both gives every score the bits of one fused multiply-add per nonzero, as the sum in memory
    /// does, without a load and store of the scores per nonzero.
    /// </summary>
    private void ScoreRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> biases, Span<float> scaled, Span<int> slots, Span<float> scores)
    {
        int outputs = _outputs;
        if (Vector512.IsHardwareAccelerated && outputs >= Vector512<float>.Count && outputs <= 2 * Vector512<float>.Count)
            ScoreRowInRegisters<Width512, Vector512<float>>(indices, values, biases, scaled, slots, scores);
        else if (Vector256.IsHardwareAccelerated && outputs >= Vector256<float>.Count && outputs <= 2 * Vector256<float>.Count)
            ScoreRowInRegisters<Width256, Vector256<float>>(indices, values, biases, scaled, slots, scores);
        else if (Vector128.IsHardwareAccelerated && outputs >= Vector128<float>.Count && outputs <= 2 * Vector128<float>.Count)
            ScoreRowInRegisters<Width128, Vector128<float>>(indices, values, biases, scaled, slots, scores);
        else
            ScoreRowInMemory(indices, values, biases, scaled, slots, scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreRowInRegisters<TWidth, TVector>(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> biases, Span<float> scaled, Span<int> slots, Span<float> scores)
        where TWidth : struct, ISimdWidth<TVector>
        where TVector : struct
    {
        ReadOnlySpan<float> rawFactor = _scaling.RawFactor;
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        nuint outputs = (nuint)_outputs;
        nuint high = outputs - (nuint)TWidth.Count;
        ref float bias = ref MemoryMarshal.GetReference(biases);
        TVector lowSum = TWidth.Load(ref bias, 0);
        TVector highSum = TWidth.Load(ref bias, high);
        for (int n = 0; n < indices.Length; n++)
        {
            (int j, float value) = TakeNonzero(indices, values, rawFactor, n, scaled, slots);
            ref float row = ref Unsafe.Add(ref weights, (nuint)j * outputs);
            TVector factor = TWidth.Splat(value);
            lowSum = TWidth.MultiplyAdd(TWidth.Load(ref row, 0), factor, lowSum);
            highSum = TWidth.MultiplyAdd(TWidth.Load(ref row, high), factor, highSum);
        }

        ref float score = ref MemoryMarshal.GetReference(scores);
        TWidth.Store(lowSum, ref score, 0);
        TWidth.Store(highSum, ref score, high);
    }

    private void ScoreRowInMemory(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> biases, Span<float> scaled, Span<int> slots, Span<float> scores)
    {
        ReadOnlySpan<float> rawFactor = _scaling.RawFactor;
        ReadOnlySpan<float> weights = _weights;
        int outputs = _outputs;
        biases.CopyTo(scores);
        for (int n = 0; n < indices.Length; n++)
        {
            (int j, float value) = TakeNonzero(indices, values, rawFactor, n, scaled, slots);
            DenseRowMath.AddScaled(weights.Slice(j * outputs, outputs), value, scores);
        }
    }

    /// <summary>
    /// Nonzero <paramref name="n"/> of a row, for the score loops: starts loading the weights of a nonzero a few places
    /// on, keeps this one's scaled value (xⱼ times its feature's factor) and slot for the gradient loop, and returns its
    /// feature and scaled value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int Feature, float Value) TakeNonzero(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> rawFactor, int n, Span<float> scaled, Span<int> slots)
    {
        PrefetchWeightsAfter(indices, n);
        int j = indices[n];
        float value = values[n] * rawFactor[j];
        scaled[n] = value;
        slots[n] = SlotOf(j);
        return (j, value);
    }

    /// <summary>Starts loading the K weights of the feature <see cref="WeightPrefetchDistance"/> nonzeros after position n of a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchWeightsAfter(ReadOnlySpan<int> indices, int n)
    {
        int ahead = n + WeightPrefetchDistance;
        if (ahead < indices.Length)
            CachePrefetch.Range(ref _weights[indices[ahead] * _outputs], (nuint)_outputs);
    }

    /// <summary>
    /// 1/σᵧ²: the scaled value xⱼσᵧ/σⱼ that enters the score, times this, is the factor 1/(σⱼσᵧ) of the scaled-space
    /// gradient (see <see cref="FeatureScaling"/>); exactly 1 unless a regression label is standardized.
    /// </summary>
    private float LabelGradientFactor() => _scaling.LabelScale == 1f ? 1f : 1f / (_scaling.LabelScale * _scaling.LabelScale);

    /// <summary>Room for one row's scaled values and slots; the slots array grows with it.</summary>
    private Span<float> ScaledValues(int count)
    {
        if (_rowValues.Length < count)
        {
            _rowValues = new float[Math.Max(count, 2 * _rowValues.Length)];
            _rowSlots = new int[_rowValues.Length];
        }

        return _rowValues.AsSpan(0, count);
    }

    /// <summary>The feature's slot among the batch's present features, given one (with a zero gradient) on first sight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(int feature)
    {
        int slot = _slotOf[feature];
        if (slot >= 0)
            return slot;
        return AddPresent(feature);
    }

    private int AddPresent(int feature)
    {
        if (_presentCount == _present.Length)
        {
            Array.Resize(ref _present, 2 * _present.Length);
            Array.Resize(ref _gradient, _present.Length * _outputs);
        }

        int slot = _presentCount++;
        _present[slot] = feature;
        _slotOf[feature] = slot;
        _gradient.AsSpan(slot * _outputs, _outputs).Clear();
        return slot;
    }

    private void ForgetPresent()
    {
        foreach (int feature in _present.AsSpan(0, _presentCount))
            _slotOf[feature] = -1;
        _presentCount = 0;
    }

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
