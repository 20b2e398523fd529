using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Multiclass cross-entropy of the softmax of K scores zₖ = wₖ·x + bₖ against a class index y:
/// ℓ = log Σₖ e^(zₖ) − z_y, ∂ℓ/∂zₖ = pₖ − [k = y] with pₖ = e^(zₖ − log Σ e^z).
/// </summary>
/// <remarks>
/// The log-sum-exp subtracts the largest score first, so no exponential overflows. Weights are K × F row-major
/// (class k's weights are row k), as ML.NET's maximum-entropy model stores them.
/// </remarks>
internal sealed class SoftmaxCrossEntropyLoss : ILinearLoss
{
    /// <summary>
    /// Dense rows are taken this many at a time (see <see cref="RunDense"/>): their scores fill a few kilobytes of
    /// scratch, and the rows are still in the first-level cache when their gradients are added.
    /// </summary>
    private const int DenseChunkRows = 32;

    private readonly float[] _scores;
    private readonly float[] _probabilities;
    private readonly float[] _chunkScores, _chunkExponentials, _chunkMaxima, _chunkCoefficients; // RunDense's scratch

    /// <param name="classCount">K, at least 2.</param>
    public SoftmaxCrossEntropyLoss(int classCount)
    {
        if (classCount < 2)
            throw ArgumentChecks.OutOfRange(nameof(classCount), classCount, "must be at least 2");
        _scores = new float[classCount];
        _probabilities = new float[classCount];
        _chunkScores = new float[DenseChunkRows * classCount];
        _chunkExponentials = new float[DenseChunkRows * classCount];
        _chunkMaxima = new float[DenseChunkRows];
        _chunkCoefficients = new float[DenseChunkRows * classCount];
    }

    /// <inheritdoc/>
    public ILinearLoss Clone() => new SoftmaxCrossEntropyLoss(_scores.Length);

    /// <inheritdoc/>
    public int OutputCount => _scores.Length;

    /// <inheritdoc/>
    public bool IsRegression => false;

    /// <inheritdoc/>
    public double EvaluateRow(ReadOnlySpan<float> scores, float label, int row, Span<float> derivatives)
    {
        int y = ClassOf(label, row);
        double logSumExp = Softmax(scores, derivatives);
        derivatives[y] -= 1;
        return logSumExp - scores[y];
    }

    /// <inheritdoc/>
    public double Accumulate(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient) =>
        batch.Rows.IsSparse
            ? RunSparse(batch, weights, biases, gradientScale, weightGradient, biasGradient, withGradient: true)
            : RunDense(batch, weights, biases, gradientScale, weightGradient, biasGradient, withGradient: true);

    /// <inheritdoc/>
    /// <remarks>The log class priors; a class absent from the data starts at log 1e-6, not −∞.</remarks>
    public void InitialBiases(DataStatistics statistics, Span<float> biases)
    {
        for (int k = 0; k < biases.Length; k++)
        {
            double prior = statistics.ClassWeights is null ? 1.0 / biases.Length : statistics.ClassWeights[k] / statistics.TotalWeight;
            biases[k] = (float)Math.Log(Math.Max(prior, 1e-6));
        }
    }

    /// <inheritdoc/>
    public double Evaluate(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases) =>
        batch.Rows.IsSparse
            ? RunSparse(batch, weights, biases, 0f, default, default, withGradient: false)
            : RunDense(batch, weights, biases, 0f, default, default, withGradient: false);

    /// <summary>
    /// The loss sum of dense rows, and with <paramref name="withGradient"/> its gradient, a chunk of
    /// <see cref="DenseChunkRows"/> rows at a time: every row's K scores at once (<see cref="DenseRowMath.MultiplyRows"/>),
    /// shifted by the row's largest; the chunk's exponentials in one vectorized call; each row's loss and its K
    /// derivatives; then the chunk's weight gradient (<see cref="DenseRowMath.AddRowProducts"/>). Row by row, a 10-class
    /// row's softmax cost more in calls on ten floats than in arithmetic, and the gradient was loaded and stored once a row.
    /// </summary>
    /// <remarks>Optimized on its first call: a handful of calls per batch would otherwise run unoptimized code for a long time.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RunDense(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient, bool withGradient)
    {
        RowStore rows = batch.Rows;
        int features = rows.FeatureCount;
        int classes = _scores.Length;
        ReadOnlySpan<float> labels = rows.Labels;
        ReadOnlySpan<int> indices = batch.Indices;
        Span<float> scores = _chunkScores, exponentials = _chunkExponentials, maxima = _chunkMaxima, coefficients = _chunkCoefficients;
        double lossSum = 0;
        batch.PrefetchFirstRows();
        for (int first = 0; first < indices.Length; first += DenseChunkRows)
        {
            int count = Math.Min(DenseChunkRows, indices.Length - first);
            for (int i = 0; i < count; i++)
            {
                batch.PrefetchRowAfter(first + i);
                Span<float> rowScores = scores.Slice(i * classes, classes);
                DenseRowMath.MultiplyRows(weights, rows.DenseRow(indices[first + i]), rowScores);
                float max = float.NegativeInfinity;
                for (int k = 0; k < classes; k++)
                {
                    rowScores[k] += biases[k];
                    max = Math.Max(max, rowScores[k]); // NaN propagates, and the loss then reports divergence
                }

                Span<float> shifted = exponentials.Slice(i * classes, classes);
                for (int k = 0; k < classes; k++)
                    shifted[k] = rowScores[k] - max;
                maxima[i] = max;
            }

            Span<float> chunk = exponentials[..(count * classes)];
            TensorPrimitives.Exp(chunk, chunk);
            for (int i = 0; i < count; i++)
            {
                int row = indices[first + i];
                int label = ClassOf(labels[row], row);
                float weight = rows.Weight(row);
                ReadOnlySpan<float> rowExponentials = exponentials.Slice(i * classes, classes);
                float sum = 0;
                for (int k = 0; k < classes; k++)
                    sum += rowExponentials[k];
                lossSum += weight * (maxima[i] + Math.Log(sum) - scores[(i * classes) + label]);
                if (!withGradient)
                    continue;

                float rowScale = gradientScale * weight, inverseSum = 1f / sum;
                Span<float> rowCoefficients = coefficients.Slice(i * classes, classes);
                for (int k = 0; k < classes; k++)
                {
                    rowCoefficients[k] = rowScale * ((rowExponentials[k] * inverseSum) - (k == label ? 1 : 0));
                    biasGradient[k] += rowCoefficients[k];
                }
            }

            if (withGradient)
                DenseRowMath.AddRowProducts(rows.DenseRows, features, indices.Slice(first, count), coefficients[..(count * classes)], weightGradient);
        }

        return lossSum;
    }

    /// <summary>The loss sum of sparse rows, and with <paramref name="withGradient"/> its gradient, row by row.</summary>
    /// <remarks>Optimized on its first call, as <see cref="RunDense"/> is.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double RunSparse(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient, bool withGradient)
    {
        RowStore rows = batch.Rows;
        int features = rows.FeatureCount;
        int classes = _scores.Length;
        Span<float> scores = _scores, probabilities = _probabilities;
        ReadOnlySpan<float> labels = rows.Labels;
        double lossSum = 0;
        foreach (int row in batch.Indices)
        {
            int label = ClassOf(labels[row], row);
            float weight = rows.Weight(row);
            ReadOnlySpan<int> indices = rows.SparseIndices(row);
            ReadOnlySpan<float> values = rows.SparseValues(row);
            for (int k = 0; k < classes; k++)
            {
                ReadOnlySpan<float> classWeights = weights.Slice(k * features, features);
                float score = 0;
                for (int j = 0; j < indices.Length; j++)
                    score += values[j] * classWeights[indices[j]];
                scores[k] = score + biases[k];
            }

            double logSumExp = Softmax(scores, probabilities);
            lossSum += weight * (logSumExp - scores[label]);
            if (!withGradient)
                continue;

            float rowScale = gradientScale * weight;
            for (int k = 0; k < classes; k++)
            {
                float coefficient = rowScale * (probabilities[k] - (k == label ? 1 : 0));
                biasGradient[k] += coefficient;
                if (coefficient == 0f)
                    continue;
                Span<float> classGradient = weightGradient.Slice(k * features, features);
                for (int j = 0; j < indices.Length; j++)
                    classGradient[indices[j]] += coefficient * values[j];
            }
        }

        return lossSum;
    }

    /// <summary>
    /// log Σ e^(zₖ), and the softmax pₖ = e^(zₖ − m) / Σ e^(z − m) into <paramref name="probabilities"/>, with m the
    /// largest score, so that no exponential overflows. Each exponential is taken once, in float and vectorized. For one
    /// row at a time (sparse rows, <see cref="EvaluateRow"/>); dense rows take a chunk's exponentials in one call
    /// (<see cref="RunDense"/>).
    /// </summary>
    private static double Softmax(ReadOnlySpan<float> scores, Span<float> probabilities)
    {
        float max = TensorPrimitives.Max(scores); // NaN propagates, and the loss then reports divergence
        TensorPrimitives.Subtract(scores, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        float sum = TensorPrimitives.Sum(probabilities);
        TensorPrimitives.Multiply(probabilities, 1f / sum, probabilities);
        return max + Math.Log(sum);
    }

    private int ClassOf(float label, int row)
    {
        int index = (int)label;
        if (index != label || (uint)index >= (uint)_scores.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {row} has label {label}; softmax loss needs a class index 0..{_scores.Length - 1}."));
        return index;
    }
}
