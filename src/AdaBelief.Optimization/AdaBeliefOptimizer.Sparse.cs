using System.Globalization;
using AdaBelief.Optimization.Kernels;

namespace AdaBelief.Optimization;

/// <summary>The lazy (sparse) step: only the rows named in the step are updated.</summary>
public sealed partial class AdaBeliefOptimizer
{
    // One bit per row of the sparse tensor, set while a step's indices are checked for repeats; all clear between steps.
    private ulong[]? _rowSeen;

    // Under SparseStepCount.PerRow, how many applied steps each row of the first tensor was present in (a dense step
    // counts for every row); made by the first lazy step, whose row length it keeps.
    private int[]? _rowStepCounts;
    private int _countedRowLength;

    /// <summary>
    /// Applies one lazy step to the rows of a single-tensor optimizer named by <paramref name="rows"/>: each row is
    /// <paramref name="rowLength"/> contiguous parameters, and only those rows (parameters and moments) change.
    /// </summary>
    /// <param name="parameters">The whole tensor, updated in place at the named rows only.</param>
    /// <param name="rowLength">Parameters per row (K for the weights of a linear model with K outputs, one row per feature); at least 1, dividing the tensor length.</param>
    /// <param name="rows">The rows present in this step, each once, in any order.</param>
    /// <param name="gradients">The gradients of the named rows, packed: row <c>rows[i]</c> at <c>[i · rowLength, (i + 1) · rowLength)</c>; not modified.</param>
    /// <returns>True if the step was applied; false if it was skipped under <see cref="NonFiniteGradientPolicy.SkipStep"/>.</returns>
    /// <remarks>See <see cref="StepSparse(Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float})"/> for how the lazy step differs from <c>Step</c>.</remarks>
    /// <exception cref="ArgumentException">The optimizer steps another number of tensors, a length does not match, or a row appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLength"/> is below 1, or a row index is out of range.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient element is NaN or ±∞ under <see cref="NonFiniteGradientPolicy.Throw"/>.</exception>
    public bool StepSparse(Span<float> parameters, int rowLength, ReadOnlySpan<int> rows, ReadOnlySpan<float> gradients)
    {
        if (_tensorLengths.Length != 1)
            throw new ArgumentException($"This optimizer steps {_tensorLengths.Length} tensors together; pass the dense one too.", nameof(parameters));
        return StepSparseCore(parameters, rowLength, rows, gradients, default, default, hasDense: false);
    }

    /// <summary>
    /// Applies one step to a two-tensor optimizer: a lazy step to the rows of the first tensor named by
    /// <paramref name="rows"/>, and a full step to the second (a linear model's sparse weights and its dense biases),
    /// as one step: one t, one clipping norm.
    /// </summary>
    /// <param name="parameters">The first tensor, updated in place at the named rows only.</param>
    /// <param name="rowLength">Parameters per row of the first tensor; at least 1, dividing its length.</param>
    /// <param name="rows">The rows of the first tensor present in this step, each once, in any order.</param>
    /// <param name="gradients">The gradients of the named rows, packed: row <c>rows[i]</c> at <c>[i · rowLength, (i + 1) · rowLength)</c>.</param>
    /// <param name="denseParameters">The second tensor, every element present.</param>
    /// <param name="denseGradients">The second tensor's gradient.</param>
    /// <returns>True if the step was applied; false if it was skipped under <see cref="NonFiniteGradientPolicy.SkipStep"/>.</returns>
    /// <remarks>
    /// <para>
    /// The lazy update of PyTorch's <c>SparseAdam</c> and TensorFlow Addons' <c>LazyAdam</c>: a coordinate absent from the
    /// step keeps its parameter and its moments bit for bit, as if the step had not happened for it; a present coordinate
    /// gets exactly the element update of <c>Step</c>, bit for bit. When every row is present, the lazy step therefore
    /// equals <c>Step</c> bit for bit. Otherwise it differs from a dense step whose absent gradients are 0 in these ways:
    /// </para>
    /// <list type="bullet">
    /// <item>Moments of absent coordinates do not decay (a dense step with g = 0 would shrink m by β₁ and move s toward
    /// (βm)²); their parameters do not move, where the dense step would keep moving them along the old momentum.</item>
    /// <item>The step count t is global: every call advances it by one, and bias correction, the rectifier's ρₜ, the
    /// Nesterov weights and the learning-rate schedule use that t, not how often a coordinate has been present. A
    /// coordinate first present at step t starts from zero moments with the correction of step t.</item>
    /// <item>Gradient-norm clipping (<see cref="AdaBeliefOptions.GradientClipNorm"/>) uses the norm of the present
    /// gradient values (the named rows and the dense tensor), which equals the dense norm with absent gradients 0.
    /// Value clipping applies to present values only.</item>
    /// <item>Weight decay, coupled or decoupled, applies to present coordinates only; a coordinate is decayed on the steps
    /// where it is present. A tensor that <see cref="WeightDecayMask"/> leaves out is not decayed.</item>
    /// <item>AMSGrad's running maximum, like the moments, changes only where a coordinate is present.</item>
    /// <item>Non-finite gradients follow <see cref="AdaBeliefOptions.NonFiniteGradients"/> as in <c>Step</c>; a
    /// <see cref="NonFiniteGradientException"/> for the first tensor gives the element's position in
    /// <paramref name="gradients"/> (packed), not in the tensor.</item>
    /// </list>
    /// <para>
    /// A row index that appears twice is rejected before anything changes (a row's gradient must be summed by the
    /// caller); so is an index out of range. The check costs a bit per row of the tensor, kept between steps. The step's
    /// cost is O(rows present × rowLength + dense length); absent rows are not read.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">The optimizer does not step exactly two tensors, a length does not match, or a row appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLength"/> is below 1, or a row index is out of range.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient element is NaN or ±∞ under <see cref="NonFiniteGradientPolicy.Throw"/>.</exception>
    public bool StepSparse(
        Span<float> parameters, int rowLength, ReadOnlySpan<int> rows, ReadOnlySpan<float> gradients, Span<float> denseParameters, ReadOnlySpan<float> denseGradients) =>
        StepSparseWithDense(parameters, rowLength, rows, gradients, denseParameters, denseGradients, skipRowCheck: false);

    /// <summary>
    /// <see cref="StepSparse(Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float})"/>
    /// for a caller whose rows are distinct and in range by construction, as a trainer's list of a batch's present
    /// features is: the check of every index (a bit per row, set and then cleared) is left out. On a batch of a few
    /// thousand single-weight rows that check is a sixth of the step.
    /// </summary>
    internal bool StepSparseDistinctRows(
        Span<float> parameters, int rowLength, ReadOnlySpan<int> rows, ReadOnlySpan<float> gradients, Span<float> denseParameters, ReadOnlySpan<float> denseGradients) =>
        StepSparseWithDense(parameters, rowLength, rows, gradients, denseParameters, denseGradients, skipRowCheck: true);

    private bool StepSparseWithDense(
        Span<float> parameters, int rowLength, ReadOnlySpan<int> rows, ReadOnlySpan<float> gradients, Span<float> denseParameters, ReadOnlySpan<float> denseGradients, bool skipRowCheck)
    {
        if (_tensorLengths.Length != 2)
            throw new ArgumentException($"This optimizer steps {_tensorLengths.Length} tensor(s); a sparse step with a dense tensor needs exactly 2.", nameof(denseParameters));
        return StepSparseCore(parameters, rowLength, rows, gradients, denseParameters, denseGradients, hasDense: true, skipRowCheck);
    }

    private bool StepSparseCore(
        Span<float> parameters,
        int rowLength,
        ReadOnlySpan<int> rows,
        ReadOnlySpan<float> gradients,
        Span<float> denseParameters,
        ReadOnlySpan<float> denseGradients,
        bool hasDense,
        bool skipRowCheck = false)
    {
        CheckSparseShapes(parameters.Length, rowLength, rows.Length, gradients.Length);
        if (hasDense)
        {
            if (denseParameters.Length != _tensorLengths[1])
                throw new ArgumentException($"Tensor 1 has {denseParameters.Length} parameters, but the optimizer was built for {_tensorLengths[1]}.", nameof(denseParameters));
            if (denseGradients.Length != denseParameters.Length)
                throw new ArgumentException($"Tensor 1 has {denseParameters.Length} parameters but {denseGradients.Length} gradients; they must have the same length.", nameof(denseGradients));
        }

        if (!skipRowCheck)
            CheckRowsOnce(rows, parameters.Length / rowLength);

        // As in Step: clipping and the skip policy read every present gradient before anything changes.
        double clipScale = 1;
        bool knownFinite = false;
        if (_options.GradientClipNorm is { } maxNorm)
        {
            double sumOfSquares = GradientChecks.SumOfSquares(gradients) + GradientChecks.SumOfSquares(denseGradients);
            if (double.IsNaN(sumOfSquares))
                return RejectNonFiniteSparse(gradients, denseGradients);
            double norm = Math.Sqrt(sumOfSquares);
            clipScale = norm > maxNorm ? maxNorm / norm : 1;
            knownFinite = true;
        }
        else if (_options.NonFiniteGradients == NonFiniteGradientPolicy.SkipStep)
        {
            if (GradientChecks.IndexOfNonFinite(gradients) >= 0 || GradientChecks.IndexOfNonFinite(denseGradients) >= 0)
                return RejectNonFiniteSparse(gradients, denseGradients);
            knownFinite = true;
        }

        double learningRate = CurrentLearningRate;
        if (!(learningRate >= 0) || double.IsInfinity(learningRate))
            throw new InvalidOperationException($"The learning-rate schedule {_options.LearningRate} gave {learningRate}, which is not a finite, non-negative rate.");

        long step = StepCount + 1;
        StepCoefficients decayed = _coefficients.Create(step, learningRate, clipScale, out bool usesDenominator);
        StepCoefficients undecayed = decayed with { CoupledDecay = 0, DecayFactor = 1 };

        int length = _tensorLengths[0];
        Span<float> sMax = _maxSecondMoment is null ? default : _maxSecondMoment.Span[..length];
        Span<int> rowCounts = default;
        RowCorrectionTable? corrections = null;
        if (_options.SparseStepCount == SparseStepCount.PerRow)
        {
            if (_rowStepCounts is null)
            {
                _rowStepCounts = new int[length / rowLength];
                _countedRowLength = rowLength;
            }

            rowCounts = _rowStepCounts;
            corrections = _coefficients.RowCorrections;
            corrections.Cover((int)Math.Min(int.MaxValue, step)); // no row has been present in more steps than t
        }

        bool writesFinite = true;
        StepCoefficients sparseCoefficients = WeightDecayMask is { } mask && !mask[0] ? undecayed : decayed;
        bool allFinite = StepsInChunks((long)rows.Length * rowLength)
            ? ApplyInChunks(
                sparseCoefficients, parameters, rows, gradients, rowLength, _firstMoment.Span[..length], _secondMoment.Span[..length], sMax,
                usesDenominator, !knownFinite, ref writesFinite, rowCounts, corrections, learningRate)
            : SparseAdaBeliefKernel.Apply(
                sparseCoefficients, parameters, rows, gradients, rowLength, _firstMoment.Span[..length], _secondMoment.Span[..length], sMax,
                _options.Amsgrad, usesDenominator, !knownFinite, ref writesFinite, Width, rowCounts, corrections, learningRate);
        LazyWritesFinite &= writesFinite;

        if (hasDense)
        {
            int offset = _tensorOffsets[1];
            int denseLength = _tensorLengths[1];
            Span<float> denseMax = _maxSecondMoment is null ? default : _maxSecondMoment.Span.Slice(offset, denseLength);
            allFinite &= AdaBeliefKernel.Apply(
                WeightDecayMask is { } masks && !masks[1] ? undecayed : decayed,
                denseParameters, denseGradients, _firstMoment.Span.Slice(offset, denseLength), _secondMoment.Span.Slice(offset, denseLength), denseMax,
                _options.Amsgrad, usesDenominator, !knownFinite, Width);
        }

        StepCount = step;
        if (!allFinite)
            ThrowFirstNonFiniteSparse(gradients, denseGradients);
        return true;
    }

    /// <summary>
    /// The lazy step on this thread and another core at once (<see cref="SparseStepChunks"/>): the
    /// <see cref="SparseStepHelper"/> if there is one, else a thread-pool thread. Bit-identical to one pass.
    /// </summary>
    private unsafe bool ApplyInChunks(
        in StepCoefficients coefficients, Span<float> parameters, ReadOnlySpan<int> rows, ReadOnlySpan<float> gradients, int rowLength,
        Span<float> m, Span<float> s, Span<float> sMax, bool usesDenominator, bool guardNonFinite, ref bool writesFinite,
        Span<int> rowCounts, RowCorrectionTable? corrections, double learningRate)
    {
        // Pinned until every chunk is finished (WaitForAll), so the addresses the chunks hold stay valid.
        fixed (float* p = parameters, g = gradients, mp = m, sp = s, xp = sMax)
        fixed (int* r = rows, counts = rowCounts)
        {
            var chunks = new SparseStepChunks(
                coefficients, p, parameters.Length, r, rows.Length, g, rowLength, mp, sp, xp, sMax.Length, _options.Amsgrad, usesDenominator,
                guardNonFinite, Width, counts, rowCounts.Length, corrections, learningRate);
            if (SparseStepHelper is { } helper)
                helper.Offer(chunks);
            else
                ThreadPool.UnsafeQueueUserWorkItem(static c => c.RunChunks(), chunks, preferLocal: false);
            chunks.RunChunks();
            chunks.WaitForAll();
            writesFinite &= chunks.WritesFinite;
            return chunks.GradientsFinite;
        }
    }

    private void CheckSparseShapes(int parameterCount, int rowLength, int rowCount, int gradientCount)
    {
        if (rowLength < 1)
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, "The row length must be at least 1.");
        if (_rowStepCounts is not null && rowLength != _countedRowLength)
        {
            throw new ArgumentException(
                $"The row length {rowLength} differs from the {_countedRowLength} the per-row step counts were kept for; keep one row length, or Reset first.",
                nameof(rowLength));
        }

        if (parameterCount != _tensorLengths[0])
            throw ShapeError($"Tensor 0 has {parameterCount} parameters, but the optimizer was built for {_tensorLengths[0]}.", "parameters");
        if (parameterCount % rowLength != 0)
            throw new ArgumentException($"Tensor 0 has {parameterCount} parameters, not a whole number of rows of {rowLength}.", nameof(rowLength));
        if ((long)rowCount * rowLength != gradientCount)
        {
            throw ShapeError(
                $"{rowCount} rows of {rowLength} need {(long)rowCount * rowLength} gradients, but {gradientCount} were passed.", "gradients");
        }
    }

    /// <summary>A dense step has every row present: each row's count advances with t.</summary>
    private void AdvanceAllRowCounts()
    {
        if (_rowStepCounts is not { } counts)
            return;
        for (int r = 0; r < counts.Length; r++)
        {
            if (counts[r] < int.MaxValue)
                counts[r]++;
        }
    }

    /// <summary>Throws if a row index is out of range or appears twice; leaves the seen-bits clear either way.</summary>
    private void CheckRowsOnce(ReadOnlySpan<int> rows, int rowCount)
    {
        ulong[] seen = _rowSeen ??= new ulong[(rowCount + 63) / 64];
        int checkedCount = 0;
        try
        {
            for (; checkedCount < rows.Length; checkedCount++)
            {
                int row = rows[checkedCount];
                if ((uint)row >= (uint)rowCount)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(rows), row, string.Create(CultureInfo.InvariantCulture, $"Row index at position {checkedCount} must be in [0, {rowCount})."));
                }

                ulong bit = 1UL << (row & 63);
                if ((seen[row >> 6] & bit) != 0)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"Row {row} appears twice (again at position {checkedCount}); sum its gradients into one entry."),
                        nameof(rows));
                }

                seen[row >> 6] |= bit;
            }
        }
        finally
        {
            for (int i = 0; i < checkedCount; i++)
                seen[rows[i] >> 6] = 0;
        }
    }

    private bool RejectNonFiniteSparse(ReadOnlySpan<float> gradients, ReadOnlySpan<float> denseGradients)
    {
        if (_options.NonFiniteGradients == NonFiniteGradientPolicy.Throw)
            ThrowFirstNonFiniteSparse(gradients, denseGradients);
        SkippedStepCount++;
        return false;
    }

    private static void ThrowFirstNonFiniteSparse(ReadOnlySpan<float> gradients, ReadOnlySpan<float> denseGradients)
    {
        int index = GradientChecks.IndexOfNonFinite(gradients);
        if (index >= 0)
            throw new NonFiniteGradientException(0, index, gradients[index]);
        index = GradientChecks.IndexOfNonFinite(denseGradients);
        if (index >= 0)
            throw new NonFiniteGradientException(1, index, denseGradients[index]);
    }
}
