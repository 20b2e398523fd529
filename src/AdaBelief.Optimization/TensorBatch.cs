namespace AdaBelief.Optimization;

/// <summary>
/// The parameter and gradient tensors of one step, whichever way the caller passed them: one or two span pairs
/// (no allocation) or lists of memories. Lets a single step routine serve every public overload.
/// </summary>
internal readonly ref struct TensorBatch
{
    private readonly Span<float> _parameters0;
    private readonly ReadOnlySpan<float> _gradients0;
    private readonly Span<float> _parameters1;
    private readonly ReadOnlySpan<float> _gradients1;
    private readonly IReadOnlyList<Memory<float>>? _parameterList;
    private readonly IReadOnlyList<ReadOnlyMemory<float>>? _gradientList;

    public TensorBatch(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        _parameters0 = parameters;
        _gradients0 = gradients;
        Count = 1;
    }

    public TensorBatch(Span<float> parameters0, ReadOnlySpan<float> gradients0, Span<float> parameters1, ReadOnlySpan<float> gradients1)
    {
        _parameters0 = parameters0;
        _gradients0 = gradients0;
        _parameters1 = parameters1;
        _gradients1 = gradients1;
        Count = 2;
    }

    public TensorBatch(IReadOnlyList<Memory<float>> parameters, IReadOnlyList<ReadOnlyMemory<float>> gradients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Count != gradients.Count)
        {
            throw new ArgumentException(
                $"There are {parameters.Count} parameter tensors but {gradients.Count} gradient tensors; pass one gradient per parameter tensor.",
                nameof(gradients));
        }

        _parameterList = parameters;
        _gradientList = gradients;
        Count = parameters.Count;
    }

    public int Count { get; }

    /// <summary>The caller's name for tensor <paramref name="index"/>'s parameters, for argument errors.</summary>
    public string ParameterName(int index) => IsPairOverload ? $"parameters{index}" : "parameters";

    /// <summary>The caller's name for tensor <paramref name="index"/>'s gradient, for argument errors.</summary>
    public string GradientName(int index) => IsPairOverload ? $"gradients{index}" : "gradients";

    // The two-pair overload numbers its arguments (parameters0, gradients0, parameters1, gradients1).
    private bool IsPairOverload => _parameterList is null && Count == 2;

    public Span<float> Parameters(int index) =>
        _parameterList is not null ? _parameterList[index].Span : index == 0 ? _parameters0 : _parameters1;

    public ReadOnlySpan<float> Gradients(int index) =>
        _gradientList is not null ? _gradientList[index].Span : index == 0 ? _gradients0 : _gradients1;
}
