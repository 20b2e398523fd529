using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// One pass over the training rows for what training needs before the first step: the weighted mean and spread of
/// each feature (for scaling) and of the labels (for the initial bias).
/// </summary>
/// <remarks>
/// <para>
/// Everything is weighted by the example weights, so a row of weight 2 counts exactly as the same row twice, as it
/// does in the loss. Sums are kept in double.
/// </para>
/// <para>
/// Dense features accumulate x − x₀ (x₀ the first row), not x, so a feature with a large mean and a small spread
/// keeps its spread instead of losing it to cancellation in Σx² − (Σx)²/n. Rows are summed in float with
/// TensorPrimitives over short runs and the runs added in double: vector speed, double accuracy.
/// </para>
/// </remarks>
internal sealed class DataStatistics
{
    private const int FloatRun = 64;
    private const int BlockSize = 1 << 16;

    private DataStatistics(double totalWeight, double labelMean, double[]? classWeights, double[]? featureMean, double[]? featureSpread)
    {
        TotalWeight = totalWeight;
        LabelMean = labelMean;
        ClassWeights = classWeights;
        FeatureMean = featureMean;
        FeatureSpread = featureSpread;
    }

    /// <summary>Σ wᵢ over all rows.</summary>
    public double TotalWeight { get; }

    /// <summary>Σ wᵢyᵢ / Σ wᵢ.</summary>
    public double LabelMean { get; }

    /// <summary>Σ wᵢ per class index, for a multiclass label; null otherwise.</summary>
    public double[]? ClassWeights { get; }

    /// <summary>The weighted mean of each feature; null if features were not measured, or for sparse rows (never centered).</summary>
    public double[]? FeatureMean { get; }

    /// <summary>
    /// The weighted standard deviation of each dense feature, or root mean square of each sparse one; null if features
    /// were not measured.
    /// </summary>
    public double[]? FeatureSpread { get; }

    /// <summary>Reads every row once, in stored order.</summary>
    /// <param name="rows">The training rows.</param>
    /// <param name="measureFeatures">False to skip the features (scaling off).</param>
    /// <param name="classCount">K to count class weights, or 0 for a non-class label.</param>
    /// <exception cref="InvalidOperationException">There are no rows, or every example weight is 0.</exception>
    public static DataStatistics Compute(ITrainingRows rows, bool measureFeatures, int classCount)
    {
        int features = rows.FeatureCount;
        double totalWeight = 0, labelSum = 0;
        double[]? classWeights = classCount > 1 ? new double[classCount] : null;
        double[]? shift = null, sum = null, sumOfSquares = null;
        float[] floatShift = new float[features], runSum = new float[features], runSquares = new float[features];
        int inRun = 0;
        bool sparse = false;

        foreach (RowBlock block in rows.ReadEpoch(new EpochPlan(0, 0, Shuffle: false, BlockSize)))
        {
            RowStore store = block.Rows;
            sparse = store.IsSparse;
            foreach (int row in block.Order.Span)
            {
                float weight = store.Weight(row);
                float label = store.Labels[row];
                totalWeight += weight;
                labelSum += (double)weight * label;
                if (classWeights is not null && label >= 0 && label < classCount)
                    classWeights[(int)label] += weight;
                if (!measureFeatures)
                    continue;

                sum ??= new double[features];
                sumOfSquares ??= new double[features];
                if (sparse)
                {
                    ReadOnlySpan<int> indices = store.SparseIndices(row);
                    ReadOnlySpan<float> values = store.SparseValues(row);
                    for (int k = 0; k < indices.Length; k++)
                        sumOfSquares[indices[k]] += (double)weight * values[k] * values[k];
                    continue;
                }

                ReadOnlySpan<float> x = store.DenseRow(row);
                if (shift is null)
                {
                    shift = new double[features];
                    for (int j = 0; j < features; j++)
                        shift[j] = x[j];
                    x.CopyTo(floatShift);
                }

                AccumulateShifted(x, floatShift, weight, runSum, runSquares);
                if (++inRun == FloatRun)
                {
                    Flush(runSum, sum);
                    Flush(runSquares, sumOfSquares);
                    inRun = 0;
                }
            }
        }

        if (!(totalWeight > 0))
            throw new InvalidOperationException("The training rows have no weight: there are none, or every example weight is 0.");
        if (sum is not null && sumOfSquares is not null && !sparse)
        {
            Flush(runSum, sum);
            Flush(runSquares, sumOfSquares);
        }

        double[]? mean = null, spread = null;
        if (measureFeatures && sumOfSquares is not null)
        {
            spread = new double[features];
            if (sparse)
            {
                for (int j = 0; j < features; j++)
                    spread[j] = Math.Sqrt(sumOfSquares[j] / totalWeight);
            }
            else
            {
                mean = new double[features];
                for (int j = 0; j < features; j++)
                {
                    double offset = sum![j] / totalWeight;
                    mean[j] = shift![j] + offset;
                    spread[j] = Math.Sqrt(Math.Max(0, sumOfSquares[j] / totalWeight - offset * offset));
                }
            }
        }

        return new DataStatistics(totalWeight, labelSum / totalWeight, classWeights, mean, spread);
    }

    /// <summary>
    /// d = x − x₀ (exact in float for the nearby values that matter), run sums += w·d and w·d², one element-wise pass:
    /// no sums across lanes, so every vector width gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateShifted(ReadOnlySpan<float> x, ReadOnlySpan<float> shift, float weight, Span<float> runSum, Span<float> runSquares)
    {
        int length = x.Length;
        if (shift.Length < length || runSum.Length < length || runSquares.Length < length)
            throw new ArgumentException("The spans differ in length.", nameof(x));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float shiftr = ref MemoryMarshal.GetReference(shift);
        ref float sumr = ref MemoryMarshal.GetReference(runSum);
        ref float squaresr = ref MemoryMarshal.GetReference(runSquares);
        int j = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            var w = new Vector<float>(weight);
            for (; j <= length - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector<float> d = Vector.LoadUnsafe(ref xr, (nuint)j) - Vector.LoadUnsafe(ref shiftr, (nuint)j);
                (Vector.LoadUnsafe(ref sumr, (nuint)j) + (d * w)).StoreUnsafe(ref sumr, (nuint)j);
                (Vector.LoadUnsafe(ref squaresr, (nuint)j) + (d * d * w)).StoreUnsafe(ref squaresr, (nuint)j);
            }
        }

        for (; j < length; j++)
        {
            float d = Unsafe.Add(ref xr, j) - Unsafe.Add(ref shiftr, j);
            Unsafe.Add(ref sumr, j) += d * weight;
            Unsafe.Add(ref squaresr, j) += d * d * weight;
        }
    }

    private static void Flush(float[] run, double[] total)
    {
        for (int j = 0; j < run.Length; j++)
            total[j] += run[j];
        Array.Clear(run);
    }
}
