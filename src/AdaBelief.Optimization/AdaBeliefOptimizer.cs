using AdaBelief.Optimization.Kernels;

namespace AdaBelief.Optimization;

/// <summary>
/// The AdaBelief optimizer on spans of floats: it owns the moments of one or more parameter tensors and updates the
/// caller's parameters in place from the caller's gradients, in one fused SIMD pass per tensor.
/// </summary>
/// <remarks>
/// <para>
/// AdaBelief (Zhuang et al., NeurIPS 2020) is Adam with the second moment of the gradient replaced by the second
/// moment of its deviation from the running mean, the "belief" in the gradient: steps are large where the gradient
/// agrees with its history and small where it does not. The equations, their order, and the variants are in
/// <see cref="AdaBeliefOptions"/>.
/// </para>
/// <para>
/// Several tensors (a model's weights and its bias, or several layers) are stepped together by passing them to one
/// <c>Step</c> call, in the order of the lengths given to the constructor; gradient-norm clipping then uses the norm
/// over all of them. The optimizer is not thread-safe; the same seed of data gives bit-identical results.
/// </para>
/// <example>
/// <code>
/// var optimizer = new AdaBeliefOptimizer(weights.Length, new AdaBeliefOptions { LearningRate = 1e-2 });
/// for (int i = 0; i &lt; 1000; i++)
/// {
///     ComputeGradient(weights, gradient);
///     optimizer.Step(weights, gradient);
/// }
/// </code>
/// </example>
/// </remarks>
public sealed partial class AdaBeliefOptimizer
{
    private readonly AdaBeliefOptions _options;
    private readonly int[] _tensorLengths;
    private readonly int[] _tensorOffsets;
    private readonly AlignedFloatBuffer _firstMoment;
    private readonly AlignedFloatBuffer _secondMoment;
    private readonly AlignedFloatBuffer? _maxSecondMoment;
    private readonly ReduceLROnPlateau? _plateau;
    private readonly int _workers;
    private readonly StepCoefficientsFactory _coefficients;
    private PlateauState _plateauState;
    private bool[]? _weightDecayMask;

    /// <summary>Creates an optimizer for one tensor of <paramref name="parameterCount"/> elements.</summary>
    /// <param name="parameterCount">The number of parameters; not negative.</param>
    /// <param name="options">The settings (validated and copied); null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative, or an option is out of range.</exception>
    public AdaBeliefOptimizer(int parameterCount, AdaBeliefOptions? options = null)
        : this(new[] { RequireLength(parameterCount, nameof(parameterCount)) }, options)
    {
    }

    /// <summary>Creates an optimizer for several tensors stepped together, given their lengths in step order.</summary>
    /// <param name="tensorLengths">The length of each tensor; at least one, none negative.</param>
    /// <param name="options">The settings (validated and copied); null for the defaults.</param>
    /// <exception cref="ArgumentException">No tensor is given, or the lengths add up to more than an array can hold.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative, or an option is out of range.</exception>
    public AdaBeliefOptimizer(IReadOnlyList<int> tensorLengths, AdaBeliefOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tensorLengths);
        if (tensorLengths.Count == 0)
            throw new ArgumentException("At least one tensor is needed.", nameof(tensorLengths));

        _options = (options ?? new AdaBeliefOptions()).Clone();
        _options.Validate();

        _tensorLengths = new int[tensorLengths.Count];
        _tensorOffsets = new int[tensorLengths.Count];
        long total = 0;
        for (int i = 0; i < tensorLengths.Count; i++)
        {
            _tensorLengths[i] = RequireLength(tensorLengths[i], nameof(tensorLengths));
            _tensorOffsets[i] = (int)Math.Min(total, int.MaxValue);
            total += tensorLengths[i];
        }

        if (total > Array.MaxLength - 64)
            throw new ArgumentException($"The tensors hold {total} parameters together, more than one array can hold.", nameof(tensorLengths));

        ParameterCount = (int)total;
        _firstMoment = new AlignedFloatBuffer(ParameterCount);
        _secondMoment = new AlignedFloatBuffer(ParameterCount);
        _maxSecondMoment = _options.Amsgrad ? new AlignedFloatBuffer(ParameterCount) : null;
        _plateau = _options.LearningRate as ReduceLROnPlateau;
        _plateauState = _plateau?.InitialState ?? default;
        _coefficients = new StepCoefficientsFactory(_options);
        _workers = _options.MaxDegreeOfParallelism is -1 ? Environment.ProcessorCount : Math.Min(_options.MaxDegreeOfParallelism, Environment.ProcessorCount);
    }

    /// <summary>A copy of the settings this optimizer runs with.</summary>
    public AdaBeliefOptions Options => _options.Clone();

    /// <summary>The number of parameters over all tensors.</summary>
    public int ParameterCount { get; }

    /// <summary>The length of each tensor, in step order.</summary>
    public IReadOnlyList<int> TensorLengths => _tensorLengths;

    /// <summary>Steps applied so far (t of the last step); skipped steps are not counted.</summary>
    public long StepCount { get; private set; }

    /// <summary>Epochs completed so far (calls to <see cref="CompleteEpoch"/>).</summary>
    public long EpochCount { get; private set; }

    /// <summary>Steps skipped because of a non-finite gradient under <see cref="NonFiniteGradientPolicy.SkipStep"/>.</summary>
    public long SkippedStepCount { get; private set; }

    /// <summary>The learning rate the next step will use.</summary>
    public double CurrentLearningRate =>
        _plateau is not null
            ? _plateauState.LearningRate
            : _options.LearningRate.GetLearningRate(_options.ScheduleUnit == ScheduleUnit.Step ? StepCount : EpochCount);

    /// <summary>The state of a <see cref="ReduceLROnPlateau"/> learning rate, or null for any other schedule.</summary>
    public PlateauState? Plateau => _plateau is null ? null : _plateauState;

    /// <summary>The register width of the update; tests and benchmarks pin one.</summary>
    internal KernelWidth Width { get; set; } = KernelWidth.Auto;

    /// <summary>
    /// Which tensors weight decay applies to: one flag per tensor, in step order, true to decay it; null (default)
    /// decays every tensor. Biases are usually left out (<c>[true, false]</c> for weights and bias stepped together),
    /// as ML.NET's regularized linear trainers leave them and as optax's <c>weight_decay</c> <c>mask</c> does.
    /// </summary>
    /// <exception cref="ArgumentException">The list does not have one flag per tensor.</exception>
    public IReadOnlyList<bool>? WeightDecayMask
    {
        get => _weightDecayMask;
        init
        {
            if (value is not null && value.Count != _tensorLengths.Length)
            {
                throw new ArgumentException(
                    $"WeightDecayMask has {value.Count} flag(s); this optimizer steps {_tensorLengths.Length} tensor(s), and needs one flag per tensor.",
                    nameof(WeightDecayMask));
            }

            _weightDecayMask = value?.ToArray();
        }
    }

    /// <summary>
    /// Tensors of at least this many elements are updated on up to <see cref="AdaBeliefOptions.MaxDegreeOfParallelism"/>
    /// cores (bit-identical to one core).
    /// </summary>
    internal int ParallelThreshold { get; set; } = ParallelKernel.DefaultThreshold;

    /// <summary>
    /// Present coordinates (rows × row length) from which a lazy step runs on two cores, bit-identical to one. One core
    /// does not draw the memory bandwidth a step of scattered rows could use: 18,000 rows of 22 floats took 0.48 ms a
    /// step on one core and 0.25 ms on two, 3,000 rows 0.081 and 0.044 ms, 1,500 rows 0.040 and 0.026 ms (median steps
    /// of the benchmarks' <c>quick SparseSplit</c>, a 2-core Zen 5).
    /// </summary>
    internal long SparseParallelThreshold { get; set; } = 1 << 15;

    /// <summary>A core that takes part in large lazy steps; null for a thread-pool thread.</summary>
    internal ISparseStepHelper? SparseStepHelper { get; set; }

    /// <summary>Whether a lazy step of this many present coordinates runs on two cores.</summary>
    internal bool StepsInChunks(long presentCoordinates) => presentCoordinates >= SparseParallelThreshold && _workers > 1;

    /// <summary>The most cores one step's update of a large tensor runs on: <see cref="AdaBeliefOptions.MaxDegreeOfParallelism"/> resolved.</summary>
    internal int Workers => _workers;

    /// <summary>The second moments s of all tensors, in place (no copy), for callers that check them for overflow.</summary>
    internal ReadOnlySpan<float> SecondMoment => _secondMoment.Span;

    /// <summary>
    /// False once a lazy step (<see cref="StepSparse(Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{float})"/> and
    /// its kin) has written a parameter or second moment that is not finite, until <see cref="Reset"/>: the trainers
    /// then need not scan every row at each epoch's end to find out (rows a lazy step does not name do not change).
    /// </summary>
    internal bool LazyWritesFinite { get; private set; } = true;

    /// <summary>Applies one step to the parameters of a single-tensor optimizer.</summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">The gradient of the loss at <paramref name="parameters"/>; not modified.</param>
    /// <returns>True if the step was applied; false if it was skipped under <see cref="NonFiniteGradientPolicy.SkipStep"/>.</returns>
    /// <exception cref="ArgumentException">The optimizer has another number of tensors, or a length differs.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient element is NaN or ±∞ under <see cref="NonFiniteGradientPolicy.Throw"/>.</exception>
    public bool Step(Span<float> parameters, ReadOnlySpan<float> gradients) =>
        StepCore(new TensorBatch(parameters, gradients));

    /// <summary>Applies one step to two tensors together, such as a model's weights and its bias.</summary>
    /// <param name="parameters0">The first tensor's parameters, updated in place.</param>
    /// <param name="gradients0">The first tensor's gradient.</param>
    /// <param name="parameters1">The second tensor's parameters, updated in place.</param>
    /// <param name="gradients1">The second tensor's gradient.</param>
    /// <returns>True if the step was applied; false if it was skipped under <see cref="NonFiniteGradientPolicy.SkipStep"/>.</returns>
    /// <exception cref="ArgumentException">The optimizer has another number of tensors, or a length differs.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient element is NaN or ±∞ under <see cref="NonFiniteGradientPolicy.Throw"/>.</exception>
    public bool Step(Span<float> parameters0, ReadOnlySpan<float> gradients0, Span<float> parameters1, ReadOnlySpan<float> gradients1) =>
        StepCore(new TensorBatch(parameters0, gradients0, parameters1, gradients1));

    /// <summary>Applies one step to any number of tensors together, in the order given to the constructor.</summary>
    /// <param name="parameters">Each tensor's parameters, updated in place.</param>
    /// <param name="gradients">Each tensor's gradient.</param>
    /// <returns>True if the step was applied; false if it was skipped under <see cref="NonFiniteGradientPolicy.SkipStep"/>.</returns>
    /// <exception cref="ArgumentException">The number of tensors or a length differs from the constructor's.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient element is NaN or ±∞ under <see cref="NonFiniteGradientPolicy.Throw"/>.</exception>
    public bool Step(IReadOnlyList<Memory<float>> parameters, IReadOnlyList<ReadOnlyMemory<float>> gradients) =>
        StepCore(new TensorBatch(parameters, gradients));

    /// <summary>Marks the end of an epoch: schedules counting epochs move on.</summary>
    public void CompleteEpoch() => EpochCount++;

    /// <summary>
    /// Reports a metric (such as the validation loss) to a <see cref="ReduceLROnPlateau"/> learning rate, which may lower
    /// the rate. A loop that supports several schedules reports only when <see cref="Plateau"/> is not null.
    /// </summary>
    /// <param name="metric">The metric for the epoch just completed.</param>
    /// <exception cref="InvalidOperationException">The learning rate is not a <see cref="ReduceLROnPlateau"/> schedule, so nothing would read the metric.</exception>
    public void ReportMetric(double metric)
    {
        if (_plateau is null)
        {
            throw new InvalidOperationException(
                $"ReportMetric needs a ReduceLROnPlateau learning rate; this optimizer's is {_options.LearningRate}, which would ignore the metric. " +
                "Report only when Plateau is not null, or use a ReduceLROnPlateau schedule.");
        }

        _plateauState = _plateau.Report(_plateauState, metric);
    }

    /// <summary>A deep copy of the optimizer's state, to checkpoint or to restore later.</summary>
    public AdaBeliefState ExportState() => new(
        _tensorLengths,
        StepCount,
        EpochCount,
        SkippedStepCount,
        _firstMoment.Span.ToArray(),
        _secondMoment.Span.ToArray(),
        _maxSecondMoment?.Span.ToArray(),
        Plateau,
        _rowStepCounts is null ? null : new RowStepCounts(_countedRowLength, (int[])_rowStepCounts.Clone()));

    /// <summary>
    /// Restores a state exported from an optimizer with the same tensor lengths and options; training then continues
    /// bit-identically to training that never stopped.
    /// </summary>
    /// <param name="state">The state to restore; copied, not kept.</param>
    /// <exception cref="ArgumentException">The state belongs to an optimizer with other tensors, or AMSGrad or the
    /// plateau schedule is on in one and off in the other, or its per-row step counts do not fit the first tensor or exceed its step count.</exception>
    public void RestoreState(AdaBeliefState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.RowStepCounts is { } rowCounts && (long)rowCounts.Counts.Length * rowCounts.RowLength != _tensorLengths[0])
        {
            throw new ArgumentException(
                $"The state counts steps for {rowCounts.Counts.Length} rows of {rowCounts.RowLength}; this optimizer's first tensor has {_tensorLengths[0]} parameters.",
                nameof(state));
        }

        if (state.RowStepCounts is { } stepCounts)
        {
            // No row is present in more steps than were taken: a count beyond them has no bias correction to look up.
            ReadOnlySpan<int> presentIn = stepCounts.Counts.Span;
            for (int row = 0; row < presentIn.Length; row++)
            {
                if (presentIn[row] < 0 || presentIn[row] > state.StepCount)
                {
                    throw new ArgumentException(
                        $"The state's per-row step counts must lie in [0, {state.StepCount}], the steps it has taken; row {row} has {presentIn[row]}. The state is damaged or was not made by ExportState.",
                        nameof(state));
                }
            }
        }

        if (!state.TensorLengths.SequenceEqual(_tensorLengths))
        {
            throw new ArgumentException(
                $"The state is for tensors of lengths [{string.Join(", ", state.TensorLengths)}]; this optimizer has [{string.Join(", ", _tensorLengths)}].",
                nameof(state));
        }

        if (state.MaxSecondMoment.HasValue != (_maxSecondMoment is not null))
            throw new ArgumentException($"The state was saved with Amsgrad = {state.MaxSecondMoment.HasValue}; this optimizer has Amsgrad = {_options.Amsgrad}.", nameof(state));
        if (state.Plateau.HasValue != (_plateau is not null))
            throw new ArgumentException("The state and this optimizer disagree on whether the learning rate is a ReduceLROnPlateau schedule.", nameof(state));

        state.FirstMoment.Span.CopyTo(_firstMoment.Span);
        state.SecondMoment.Span.CopyTo(_secondMoment.Span);
        if (_maxSecondMoment is not null)
            state.MaxSecondMoment!.Value.Span.CopyTo(_maxSecondMoment.Span);
        StepCount = state.StepCount;
        EpochCount = state.EpochCount;
        SkippedStepCount = state.SkippedStepCount;
        _plateauState = state.Plateau ?? default;
        _rowStepCounts = state.RowStepCounts is { } counts ? counts.Counts.ToArray() : null;
        _countedRowLength = state.RowStepCounts?.RowLength ?? 0;
    }

    /// <summary>Forgets everything learned: moments to zero, counters to zero, the plateau schedule to its start.</summary>
    public void Reset()
    {
        _firstMoment.Span.Clear();
        _secondMoment.Span.Clear();
        _maxSecondMoment?.Span.Clear();
        StepCount = 0;
        EpochCount = 0;
        SkippedStepCount = 0;
        _plateauState = _plateau?.InitialState ?? default;
        _rowStepCounts = null;
        _countedRowLength = 0;
        LazyWritesFinite = true;
    }

    private bool StepCore(TensorBatch batch)
    {
        CheckShapes(batch);

        // Gradient-norm clipping and the skip policy read every gradient before anything changes; otherwise the
        // finiteness check rides along in the update pass.
        double clipScale = 1;
        bool knownFinite = false;
        if (_options.GradientClipNorm is { } maxNorm)
        {
            double sumOfSquares = 0;
            for (int t = 0; t < batch.Count; t++)
                sumOfSquares += GradientChecks.SumOfSquares(batch.Gradients(t));
            if (double.IsNaN(sumOfSquares))
                return RejectNonFinite(batch);
            double norm = Math.Sqrt(sumOfSquares);
            clipScale = norm > maxNorm ? maxNorm / norm : 1;
            knownFinite = true;
        }
        else if (_options.NonFiniteGradients == NonFiniteGradientPolicy.SkipStep)
        {
            for (int t = 0; t < batch.Count; t++)
            {
                if (GradientChecks.IndexOfNonFinite(batch.Gradients(t)) >= 0)
                    return RejectNonFinite(batch);
            }

            knownFinite = true;
        }

        double learningRate = CurrentLearningRate;
        if (!(learningRate >= 0) || double.IsInfinity(learningRate))
            throw new InvalidOperationException($"The learning-rate schedule {_options.LearningRate} gave {learningRate}, which is not a finite, non-negative rate.");

        long step = StepCount + 1;
        StepCoefficients decayed = _coefficients.Create(step, learningRate, clipScale, out bool usesDenominator);
        StepCoefficients undecayed = decayed with { CoupledDecay = 0, DecayFactor = 1 };

        bool allFinite = true;
        for (int t = 0; t < batch.Count; t++)
        {
            int offset = _tensorOffsets[t];
            int length = _tensorLengths[t];
            Span<float> m = _firstMoment.Span.Slice(offset, length);
            Span<float> s = _secondMoment.Span.Slice(offset, length);
            Span<float> sMax = _maxSecondMoment is null ? default : _maxSecondMoment.Span.Slice(offset, length);
            StepCoefficients coefficients = _weightDecayMask is { } mask && !mask[t] ? undecayed : decayed;
            int workers = length >= ParallelThreshold ? _workers : 1;
            allFinite &= workers > 1
                ? ParallelKernel.Apply(coefficients, batch.Parameters(t), batch.Gradients(t), m, s, sMax, _options.Amsgrad, usesDenominator, !knownFinite, Width, workers)
                : AdaBeliefKernel.Apply(coefficients, batch.Parameters(t), batch.Gradients(t), m, s, sMax, _options.Amsgrad, usesDenominator, !knownFinite, Width);
        }

        StepCount = step;
        AdvanceAllRowCounts();
        if (!allFinite)
            ThrowFirstNonFinite(batch);
        return true;
    }

    private bool RejectNonFinite(TensorBatch batch)
    {
        if (_options.NonFiniteGradients == NonFiniteGradientPolicy.Throw)
            ThrowFirstNonFinite(batch);
        SkippedStepCount++;
        return false;
    }

    private static void ThrowFirstNonFinite(TensorBatch batch)
    {
        for (int t = 0; t < batch.Count; t++)
        {
            ReadOnlySpan<float> gradients = batch.Gradients(t);
            int index = GradientChecks.IndexOfNonFinite(gradients);
            if (index >= 0)
                throw new NonFiniteGradientException(t, index, gradients[index]);
        }
    }

    private void CheckShapes(TensorBatch batch)
    {
        if (batch.Count != _tensorLengths.Length)
        {
            throw ShapeError($"This optimizer steps {_tensorLengths.Length} tensor(s) together, but {batch.Count} were passed.", batch.ParameterName(batch.Count - 1));
        }

        for (int t = 0; t < batch.Count; t++)
        {
            int parameters = batch.Parameters(t).Length;
            int gradients = batch.Gradients(t).Length;
            if (parameters != _tensorLengths[t])
            {
                throw ShapeError($"Tensor {t} has {parameters} parameters, but the optimizer was built for {_tensorLengths[t]}.", batch.ParameterName(t));
            }

            if (gradients != parameters)
            {
                throw ShapeError($"Tensor {t} has {parameters} parameters but {gradients} gradients; they must have the same length.", batch.GradientName(t));
            }
        }
    }

    private static ArgumentException ShapeError(string message, string argument) => new(message, argument);

    private static int RequireLength(int length, string name)
    {
        ArgumentChecks.RequireNonNegative(length, name);
        return length;
    }
}
