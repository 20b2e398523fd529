using System.Globalization;
using System.Runtime.CompilerServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// The row loop shared by the single-output losses: score each row, apply the pointwise loss, and add the
/// residual-weighted row to the gradient.
/// </summary>
/// <remarks>
/// A dense row is read twice while it is still in L1: once by the dot product for the score and once by the
/// multiply-add into the gradient. A sparse row touches only its nonzeros.
/// </remarks>
internal sealed class PointwiseLinearLoss<TLoss> : ILinearLoss
    where TLoss : struct, IPointwiseLoss
{
    private readonly TLoss _loss;

    public PointwiseLinearLoss(TLoss loss) => _loss = loss;

    /// <inheritdoc/>
    public ILinearLoss Clone() => new PointwiseLinearLoss<TLoss>(_loss);

    /// <inheritdoc/>
    public int OutputCount => 1;

    /// <inheritdoc/>
    public bool IsRegression => _loss.IsRegression;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double EvaluateRow(ReadOnlySpan<float> scores, float label, int row, Span<float> derivatives)
    {
        if (!_loss.IsValidLabel(label))
            throw InvalidLabel(row, label);
        double loss = _loss.Evaluate(scores[0], label, out float derivative);
        derivatives[0] = derivative;
        return loss;
    }

    /// <inheritdoc/>
    public double Accumulate(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient) =>
        Run(batch, weights, biases, gradientScale, weightGradient, biasGradient, withGradient: true);

    /// <inheritdoc/>
    public void InitialBiases(DataStatistics statistics, Span<float> biases) => biases[0] = _loss.InitialBias(statistics.LabelMean);

    /// <inheritdoc/>
    public double Evaluate(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases) =>
        Run(batch, weights, biases, 0f, default, default, withGradient: false);

    // Hot loop of training: a method per layout, optimized on first call (a handful of calls per batch would
    // otherwise run unoptimized code for a long time).
    private double Run(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient, bool withGradient)
    {
        double biasGradientSum = 0;
        double lossSum = batch.Rows.IsSparse
            ? RunSparse(batch.Rows, batch.Indices, weights, biases[0], gradientScale, weightGradient, ref biasGradientSum, withGradient)
            : RunDense(batch, weights, biases[0], gradientScale, weightGradient, ref biasGradientSum, withGradient);
        if (withGradient)
            biasGradient[0] += (float)biasGradientSum;
        return lossSum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RunDense(RowBatch batch, ReadOnlySpan<float> weights, float bias, float gradientScale, Span<float> weightGradient, ref double biasGradientSum, bool withGradient)
    {
        RowStore rows = batch.Rows;
        ReadOnlySpan<int> indices = batch.Indices;
        ReadOnlySpan<float> labels = rows.Labels;
        double lossSum = 0;
        batch.PrefetchFirstRows();
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            batch.PrefetchRowAfter(i);

            float label = labels[row];
            if (!_loss.IsValidLabel(label))
                throw InvalidLabel(row, label);
            float weight = rows.Weight(row);
            ReadOnlySpan<float> features = rows.DenseRow(row);
            float score = DenseRowMath.Dot(features, weights) + bias;
            lossSum += weight * _loss.Evaluate(score, label, out float derivative);
            if (withGradient)
            {
                float coefficient = gradientScale * weight * derivative;
                if (coefficient != 0f)
                    DenseRowMath.AddScaled(features, coefficient, weightGradient);
                biasGradientSum += coefficient;
            }
        }

        return lossSum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RunSparse(RowStore rows, ReadOnlySpan<int> batch, ReadOnlySpan<float> weights, float bias, float gradientScale, Span<float> weightGradient, ref double biasGradientSum, bool withGradient)
    {
        ReadOnlySpan<float> labels = rows.Labels;
        double lossSum = 0;
        foreach (int row in batch)
        {
            float label = labels[row];
            if (!_loss.IsValidLabel(label))
                throw InvalidLabel(row, label);
            float weight = rows.Weight(row);
            ReadOnlySpan<int> indices = rows.SparseIndices(row);
            ReadOnlySpan<float> values = rows.SparseValues(row);
            float score = bias;
            for (int k = 0; k < indices.Length; k++)
                score += values[k] * weights[indices[k]];
            lossSum += weight * _loss.Evaluate(score, label, out float derivative);
            if (withGradient)
            {
                float coefficient = gradientScale * weight * derivative;
                for (int k = 0; k < indices.Length; k++)
                    weightGradient[indices[k]] += coefficient * values[k];
                biasGradientSum += coefficient;
            }
        }

        return lossSum;
    }

    private ArgumentException InvalidLabel(int row, float label) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Row {row} has label {label}; {_loss.LabelRule}."));
}
