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
    private readonly float[] _scores;
    private readonly float[] _probabilities;

    /// <param name="classCount">K, at least 2.</param>
    public SoftmaxCrossEntropyLoss(int classCount)
    {
        if (classCount < 2)
            throw ArgumentChecks.OutOfRange(nameof(classCount), classCount, "must be at least 2");
        _scores = new float[classCount];
        _probabilities = new float[classCount];
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
        Run(batch, weights, biases, gradientScale, weightGradient, biasGradient, withGradient: true);

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
        Run(batch, weights, biases, 0f, default, default, withGradient: false);

    // The row loop of training: optimized on its first call, as a handful of calls per batch would otherwise run
    // unoptimized code for a long time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Run(RowBatch batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, float gradientScale, Span<float> weightGradient, Span<float> biasGradient, bool withGradient)
    {
        RowStore rows = batch.Rows;
        int features = rows.FeatureCount;
        int classes = _scores.Length;
        Span<float> scores = _scores, probabilities = _probabilities;
        ReadOnlySpan<float> labels = rows.Labels;
        double lossSum = 0;
        ReadOnlySpan<int> indices = batch.Indices;
        bool dense = !rows.IsSparse;
        if (dense)
            batch.PrefetchFirstRows();
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            if (dense)
                batch.PrefetchRowAfter(i);
            int label = ClassOf(labels[row], row);
            float weight = rows.Weight(row);

            for (int k = 0; k < classes; k++)
                scores[k] = Score(rows, row, weights.Slice(k * features, features)) + biases[k];

            double logSumExp = Softmax(scores, probabilities);
            lossSum += weight * (logSumExp - scores[label]);
            if (!withGradient)
                continue;

            float rowScale = gradientScale * weight;
            for (int k = 0; k < classes; k++)
            {
                float coefficient = rowScale * (probabilities[k] - (k == label ? 1 : 0));
                biasGradient[k] += coefficient;
                if (coefficient != 0f)
                    AddScaledRow(rows, row, coefficient, weightGradient.Slice(k * features, features));
            }
        }

        return lossSum;
    }

    /// <summary>
    /// log Σ e^(zₖ), and the softmax pₖ = e^(zₖ − m) / Σ e^(z − m) into <paramref name="probabilities"/>, with m the
    /// largest score, so that no exponential overflows. Each exponential is taken once, in float and vectorized: a
    /// row's K exponentials were the largest cost of a dense multiclass epoch when taken twice in double.
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Score(RowStore rows, int row, ReadOnlySpan<float> classWeights)
    {
        if (!rows.IsSparse)
            return DenseRowMath.Dot(rows.DenseRow(row), classWeights);
        ReadOnlySpan<int> indices = rows.SparseIndices(row);
        ReadOnlySpan<float> values = rows.SparseValues(row);
        float score = 0;
        for (int k = 0; k < indices.Length; k++)
            score += values[k] * classWeights[indices[k]];
        return score;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledRow(RowStore rows, int row, float coefficient, Span<float> classGradient)
    {
        if (!rows.IsSparse)
        {
            DenseRowMath.AddScaled(rows.DenseRow(row), coefficient, classGradient);
            return;
        }

        ReadOnlySpan<int> indices = rows.SparseIndices(row);
        ReadOnlySpan<float> values = rows.SparseValues(row);
        for (int k = 0; k < indices.Length; k++)
            classGradient[indices[k]] += coefficient * values[k];
    }

    private int ClassOf(float label, int row)
    {
        int index = (int)label;
        if (index != label || (uint)index >= (uint)_scores.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {row} has label {label}; softmax loss needs a class index 0..{_scores.Length - 1}."));
        return index;
    }
}
