using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// One pass over the training rows for what training needs before the first step: the weighted mean and spread of
/// each feature (for scaling) and of the labels (for the initial bias and a regression's label standardization).
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

    private DataStatistics(double totalWeight, double labelMean, double labelSpread, double[]? classWeights, double[]? featureMean, double[]? featureSpread, double[]? featureMaxDeviation)
    {
        TotalWeight = totalWeight;
        LabelMean = labelMean;
        LabelSpread = labelSpread;
        ClassWeights = classWeights;
        FeatureMean = featureMean;
        FeatureSpread = featureSpread;
        FeatureMaxDeviation = featureMaxDeviation;
    }

    /// <summary>Σ wᵢ over all rows.</summary>
    public double TotalWeight { get; }

    /// <summary>Σ wᵢyᵢ / Σ wᵢ.</summary>
    public double LabelMean { get; }

    /// <summary>The weighted standard deviation of the labels (0 if they are all equal).</summary>
    public double LabelSpread { get; }

    /// <summary>Σ wᵢ per class index, for a multiclass label; null otherwise.</summary>
    public double[]? ClassWeights { get; }

    /// <summary>The weighted mean of each feature; null if features were not measured, or for sparse rows (never centered).</summary>
    public double[]? FeatureMean { get; }

    /// <summary>
    /// The weighted standard deviation of each dense feature, or root mean square of each sparse one; null if features
    /// were not measured, or for sparse rows unless asked for (<see cref="Request.SparseSpread"/>).
    /// </summary>
    public double[]? FeatureSpread { get; }

    /// <summary>
    /// The largest distance of each feature from its center over the rows of positive weight: |xⱼ − μⱼ| for dense rows,
    /// |xⱼ| for sparse ones (0 for a feature never nonzero); null if features were not measured.
    /// </summary>
    public double[]? FeatureMaxDeviation { get; }

    /// <summary>Reads every row once, in stored order.</summary>
    /// <param name="rows">The training rows.</param>
    /// <param name="measureFeatures">False to skip the features (scaling off).</param>
    /// <param name="classCount">K to count class weights, or 0 for a non-class label.</param>
    /// <param name="sparseSpread">Also the root mean square of sparse features (<see cref="FeatureSpread"/>).</param>
    /// <exception cref="InvalidOperationException">There are no rows, or every example weight is 0.</exception>
    public static DataStatistics Compute(ITrainingRows rows, bool measureFeatures, int classCount, bool sparseSpread = false)
    {
        var builder = new Builder(rows.FeatureCount, measureFeatures, classCount, sparseSpread);
        foreach (RowBlock block in rows.ReadEpoch(new EpochPlan(0, 0, Shuffle: false, BlockSize)))
        {
            foreach (int row in block.Order.Span)
                builder.Add(block.Rows, row);
        }

        return builder.Complete();
    }

    /// <summary>Which statistics to measure.</summary>
    /// <param name="MeasureFeatures">Measure the features (for scaling), not only labels and weights.</param>
    /// <param name="ClassCount">K to count class weights, or 0 for a non-class label.</param>
    /// <param name="SparseSpread">
    /// Also the root mean square of sparse features, which only that scaling needs (the default one divides by the
    /// largest magnitude): without it a sparse row's nonzeros update one float each, in an array a quarter the size.
    /// </param>
    public readonly record struct Request(bool MeasureFeatures, int ClassCount, bool SparseSpread = false)
    {
        /// <summary>A builder for rows of <paramref name="features"/> features.</summary>
        public Builder CreateBuilder(int features) => new(features, MeasureFeatures, ClassCount, SparseSpread);

        /// <summary>Whether <paramref name="statistics"/> hold at least these.</summary>
        public bool IsMetBy(DataStatistics statistics) =>
            statistics.MeasuredFeatures == MeasureFeatures
            && statistics.ClassCount == (ClassCount > 1 ? ClassCount : 0)
            && (!MeasureFeatures || !SparseSpread || statistics.FeatureSpread is not null);
    }

    /// <summary>Whether the features were measured.</summary>
    public bool MeasuredFeatures => FeatureMaxDeviation is not null;

    /// <summary>The K class weights were counted for, or 0.</summary>
    public int ClassCount => ClassWeights?.Length ?? 0;

    /// <summary>
    /// Accumulates the statistics one row at a time, so that a pass that reads the rows for another reason can take
    /// them along; rows added in stored order give exactly what <see cref="Compute"/> gives.
    /// </summary>
    public sealed class Builder
    {
        private readonly int _features;
        private readonly bool _measureFeatures;
        private readonly bool _sparseSpread;
        private readonly double[]? _classWeights;
        private float[]? _floatShift, _runSum, _runSquares; // dense rows
        private double _totalWeight, _labelSum, _labelShiftedSum, _labelShiftedSquares;
        private float? _labelShift;
        private double[]? _shift, _sum, _sumOfSquares;
        private double[]? _squaresAndMaxAbs; // sparse rows with their spread: per feature j, Σ w·x² at 2j and max |x| at 2j + 1
        private float[]? _maxAbs; // sparse rows without: max |x| per feature (exact in float)
        private float[]? _min, _max; // of dense rows of positive weight
        private int _inRun;
        private bool _sparse;

        /// <param name="features">The number of features of every row.</param>
        /// <param name="measureFeatures">False to skip the features (scaling off).</param>
        /// <param name="classCount">K to count class weights, or 0 for a non-class label.</param>
        /// <param name="sparseSpread">Also the root mean square of sparse features (<see cref="Request.SparseSpread"/>).</param>
        public Builder(int features, bool measureFeatures, int classCount, bool sparseSpread = false)
        {
            _features = features;
            _measureFeatures = measureFeatures;
            _sparseSpread = sparseSpread;
            _classWeights = classCount > 1 ? new double[classCount] : null;
        }

        /// <summary>Adds row <paramref name="row"/> of <paramref name="store"/>; rows must come in stored order, all of one layout.</summary>
        // Called once per row while the rows are read, usually in a process that has only just loaded this code:
        // optimized on the first call rather than after the runtime's tiering delay.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(RowStore store, int row)
        {
            _sparse = store.IsSparse;
            float weight = store.Weight(row);
            float label = store.Label(row);
            _totalWeight += weight;
            _labelSum += (double)weight * label;

            // Shifted by the first label, as the dense features are: labels of 10⁵ ± 1 keep their spread.
            _labelShift ??= label;
            double shifted = (double)label - _labelShift.Value;
            _labelShiftedSum += weight * shifted;
            _labelShiftedSquares += weight * shifted * shifted;
            if (_classWeights is not null && label >= 0 && label < _classWeights.Length)
                _classWeights[(int)label] += weight;
            if (!_measureFeatures)
                return;

            if (_sparse)
            {
                ReadOnlySpan<int> indices = store.SparseIndices(row);
                ReadOnlySpan<float> values = store.SparseValues(row);
                if (!_sparseSpread)
                {
                    AddMaxAbs(indices, values, weight);
                    return;
                }

                double[] moments = _squaresAndMaxAbs ??= new double[2 * _features];
                if (weight > 0)
                {
                    // One pass, and both sums of a feature side by side: each nonzero's feature is a scattered access
                    // into an array larger than the cache, and this way it is one line, not two.
                    for (int k = 0; k < indices.Length; k++)
                    {
                        ref double squares = ref moments[2 * indices[k]];
                        squares += (double)weight * values[k] * values[k];
                        ref double maxAbs = ref Unsafe.Add(ref squares, 1);
                        double magnitude = Math.Abs(values[k]);
                        if (magnitude > maxAbs) // the values are finite: Math.Max's NaN and signed-zero branches are not needed
                            maxAbs = magnitude;
                    }
                }

                return;
            }

            _sum ??= new double[_features];
            _sumOfSquares ??= new double[_features];
            _floatShift ??= new float[_features];
            _runSum ??= new float[_features];
            _runSquares ??= new float[_features];

            ReadOnlySpan<float> x = store.DenseRow(row);
            if (_shift is null)
            {
                _shift = new double[_features];
                for (int j = 0; j < _features; j++)
                    _shift[j] = x[j];
                x.CopyTo(_floatShift);
            }

            AccumulateShifted(x, _floatShift, weight, _runSum, _runSquares);
            if (weight > 0)
            {
                if (_min is null || _max is null)
                {
                    _min = x.ToArray();
                    _max = x.ToArray();
                }

                TensorPrimitives.Min(_min, x, _min);
                TensorPrimitives.Max(_max, x, _max);
            }

            if (++_inRun == FloatRun)
            {
                Flush(_runSum, _sum);
                Flush(_runSquares, _sumOfSquares);
                _inRun = 0;
            }
        }

        /// <summary>A sparse row's nonzeros into each feature's largest magnitude (rows of positive weight).</summary>
        private void AddMaxAbs(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float weight)
        {
            float[] maxAbs = _maxAbs ??= new float[_features];
            if (!(weight > 0))
                return;
            for (int k = 0; k < indices.Length; k++)
            {
                ref float largest = ref maxAbs[indices[k]];
                float magnitude = Math.Abs(values[k]);
                if (magnitude > largest) // the values are finite: MathF.Max's NaN and signed-zero branches are not needed
                    largest = magnitude;
            }
        }

        /// <summary>The statistics of the rows added.</summary>
        /// <exception cref="InvalidOperationException">No rows were added, or every example weight is 0.</exception>
        public DataStatistics Complete()
        {
            if (!(_totalWeight > 0))
                throw new InvalidOperationException("The training rows have no weight: there are none, or every example weight is 0.");
            if (_sum is not null && _sumOfSquares is not null && !_sparse)
            {
                Flush(_runSum!, _sum);
                Flush(_runSquares!, _sumOfSquares);
                _inRun = 0;
            }

            double[]? mean = null, spread = null, maxDeviation = null;
            if (_measureFeatures && _sparse && !_sparseSpread)
            {
                maxDeviation = new double[_features];
                if (_maxAbs is { } maxAbs)
                {
                    for (int j = 0; j < _features; j++)
                        maxDeviation[j] = maxAbs[j];
                }
            }
            else if (_measureFeatures && _sparse && _squaresAndMaxAbs is { } moments)
            {
                spread = new double[_features];
                maxDeviation = new double[_features];
                for (int j = 0; j < _features; j++)
                {
                    spread[j] = Math.Sqrt(moments[2 * j] / _totalWeight);
                    maxDeviation[j] = moments[(2 * j) + 1];
                }
            }
            else if (_measureFeatures && _sumOfSquares is not null)
            {
                mean = new double[_features];
                spread = new double[_features];
                for (int j = 0; j < _features; j++)
                {
                    double offset = _sum![j] / _totalWeight;
                    mean[j] = _shift![j] + offset;
                    spread[j] = Math.Sqrt(Math.Max(0, _sumOfSquares[j] / _totalWeight - offset * offset));
                }

                maxDeviation = new double[_features];
                if (_min is not null && _max is not null)
                {
                    for (int j = 0; j < _features; j++)
                        maxDeviation[j] = Math.Max(0, Math.Max(_max[j] - mean[j], mean[j] - _min[j]));
                }
            }

            double labelOffset = _labelShiftedSum / _totalWeight;
            double labelSpread = Math.Sqrt(Math.Max(0, _labelShiftedSquares / _totalWeight - labelOffset * labelOffset));
            return new DataStatistics(_totalWeight, _labelSum / _totalWeight, labelSpread, _classWeights, mean, spread, maxDeviation);
        }
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
