namespace MLNet.AdaBelief.Training;

/// <summary>
/// Computes the second half of each mini-batch's loss and gradient on another core while the training loop computes
/// the first half.
/// </summary>
/// <remarks>
/// <para>
/// Shuffled rows of a large block are each a cache miss, so one core spends most of a batch waiting on memory; two
/// cores wait on two rows at once. Every batch's gradient is defined as the sum of its two halves' gradients, each
/// summed row by row, added in that order, whether or not a worker runs: a machine with one core computes both halves
/// itself, and the model's bits do not depend on the number of cores.
/// </para>
/// <para>
/// The worker runs only for an epoch's blocks (see <see cref="CoreHandoff"/> for how a half is handed over and taken
/// back). It owns its loss instance, since losses keep scratch space.
/// </para>
/// </remarks>
internal sealed class SecondHalfWorker : IDisposable
{
    private readonly ILinearLoss _loss;
    private readonly CoreHandoff _handoff;

    // The posted job: written by the loop before it is posted, read by whoever takes it.
    private RowStore? _rows;
    private ReadOnlyMemory<int> _indices;
    private ReadOnlyMemory<int> _ahead;
    private float[] _weights = [];
    private float[] _biases = [];
    private float _gradientScale;
    private double _lossSum;

    /// <summary>Blocks smaller than this many bytes fit in cache; handing their halves to another core costs more than it saves.</summary>
    public const long MinimumBlockBytes = 8L << 20;

    /// <summary>
    /// Half batches of fewer multiply-adds than this (rows × features × outputs) are done about as soon as the two
    /// cores have exchanged the parameters, gradients and flags. On 100 features at batch 64, a single-output epoch of
    /// 1,000,000 rows took 0.041-0.044 s alone and 0.050-0.070 s with the worker (3,200 per half), and a 10-class epoch
    /// of 300,000 rows 0.042 s alone and 0.027 s with it (32,000 per half); host 2-core Zen 5.
    /// </summary>
    public const int MinimumHalfBatchProducts = 16_384;

    /// <summary>Whether a worker pays off: dense rows, a block larger than the cache, big enough halves, another core.</summary>
    /// <param name="block">The block about to be trained on.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="outputs">The model's outputs (K): a row's work is K dot products and K scaled adds.</param>
    public static bool WorthStarting(RowBlock block, int batchSize, int outputs) =>
        !block.Rows.IsSparse && Environment.ProcessorCount > 1
        && (long)block.Order.Length * block.Rows.FeatureCount * sizeof(float) >= MinimumBlockBytes
        && (long)(batchSize / 2) * block.Rows.FeatureCount * outputs >= MinimumHalfBatchProducts;

    public SecondHalfWorker(ILinearLoss loss, int weightCount, int biasCount)
    {
        _loss = loss;
        WeightGradient = new float[weightCount];
        BiasGradient = new float[biasCount];
        _handoff = new CoreHandoff(() => _lossSum = Compute(_loss), "AdaBelief second half");
    }

    /// <summary>The second half's weight gradient, valid after <see cref="Finish"/>.</summary>
    public float[] WeightGradient { get; }

    /// <summary>The second half's bias gradient, valid after <see cref="Finish"/>.</summary>
    public float[] BiasGradient { get; }

    /// <summary>Offers the second half of a batch to the worker; the arrays must not change until <see cref="Finish"/> returns.</summary>
    public void Post(RowStore rows, ReadOnlyMemory<int> indices, ReadOnlyMemory<int> ahead, float[] weights, float[] biases, float gradientScale)
    {
        _rows = rows;
        _indices = indices;
        _ahead = ahead;
        _weights = weights;
        _biases = biases;
        _gradientScale = gradientScale;
        _handoff.Post();
    }

    /// <summary>
    /// Returns the posted half's loss sum, its gradient in <see cref="WeightGradient"/> and <see cref="BiasGradient"/>:
    /// computed here with <paramref name="loss"/> if the worker has not taken it up yet (it may be waiting for a core),
    /// else by the worker, waited for. Rethrows what the worker threw.
    /// </summary>
    public double Finish(ILinearLoss loss) => _handoff.TakeBackOrWait() ? Compute(loss) : _lossSum;

    public void Dispose() => _handoff.Dispose();

    private double Compute(ILinearLoss loss)
    {
        Array.Clear(WeightGradient);
        Array.Clear(BiasGradient);
        var batch = new RowBatch(_rows!, _indices.Span, _ahead.Span);
        return loss.Accumulate(batch, _weights, _biases, _gradientScale, WeightGradient, BiasGradient);
    }
}
