namespace MLNet.AdaBelief.Training;

/// <summary>How <see cref="LinearModelTrainer"/> runs: epochs, batches, order, stopping, scaling and the starting bias.</summary>
internal sealed record LinearTrainerSettings
{
    /// <summary>The default number of epochs.</summary>
    public const int DefaultEpochs = 10;

    /// <summary>The default mini-batch size.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>
    /// The default shuffle block: 16,384 rows, a multiple of the default batch size. Large enough to mix rows well
    /// (ML.NET's shuffle transform pools 1,000), small enough that a streaming source buffers one block cheaply
    /// (6.5 MB at 100 dense features).
    /// </summary>
    public const int DefaultShuffleBlockSize = 1 << 14;

    /// <summary>Passes over the training rows; at least 1.</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Rows per optimizer step; at least 1. Batches never span shuffle blocks, so a block's last batch may be short.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>The seed of the row order; the same seed and data give bit-identical weights.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the rows each epoch (within blocks of <see cref="ShuffleBlockSize"/>); false keeps the stored order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Rows per shuffle block; at least 1. Rows move only within their block, so sorted data needs a block larger than
    /// its runs of one kind; a value at least the row count shuffles the whole set.
    /// </summary>
    public int ShuffleBlockSize { get; init; } = DefaultShuffleBlockSize;

    /// <summary>
    /// Let a second core compute the second half of each mini-batch of a large dense block. Every batch's gradient is
    /// the sum of its two halves either way, so this changes the speed and never the weights.
    /// </summary>
    public bool UseSecondCore { get; init; } = true;

    /// <summary>
    /// Epochs without improvement (by more than <see cref="EarlyStoppingMinDelta"/>) in the monitored loss (validation
    /// loss if validation rows are given, else training loss) after which training stops; null never stops early.
    /// When set, the result holds the weights of the best epoch, whether or not training stopped early.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>The least decrease of the monitored loss that counts as an improvement; not negative.</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>
    /// Without validation rows, hold out this share of the training rows (see <see cref="HoldoutSplit"/>) and monitor
    /// their loss instead; 0 (default) holds out nothing. In [0, 0.5].
    /// </summary>
    public double HoldoutFraction { get; init; }

    /// <summary>
    /// The strength c of the data-size-aware L2 penalty (see <see cref="DataSizeL2"/>), added to the optimizer's weight
    /// decay, with n the training rows' total example weight; 0 (default) for none. Not negative.
    /// </summary>
    public double L2Strength { get; init; }

    /// <summary>
    /// The first epoch (from 1) whose end-of-epoch parameters enter a running mean that becomes the model (see
    /// <see cref="IterateAverage"/>); null (default) returns the last (or best) iterate.
    /// </summary>
    public int? AverageFromEpoch { get; init; }

    /// <summary>Train on scaled features (see <see cref="FeatureScaling"/>); the returned weights are always raw-space.</summary>
    public bool ScaleFeatures { get; init; } = true;

    /// <summary>
    /// K, bounding how far a scaled dense feature reaches: each is centered and divided by max(σⱼ, max|xⱼ − μⱼ| / K), so
    /// no scaled value lies farther than K from 0. With the default 1 every feature is divided by its largest distance
    /// from its mean and lies in [−1, 1], as the sparse features do: a nearly constant column with rare large values
    /// (a pixel almost always blank, a rare one-hot category) is not magnified, where dividing by σ would multiply a
    /// category of frequency p by about 1/√p. +∞ standardizes by σ alone. Positive.
    /// </summary>
    public double DenseScaleBound { get; init; } = 1;

    /// <summary>How sparse features are scaled when <see cref="ScaleFeatures"/> is on.</summary>
    public SparseFeatureScaling SparseScaling { get; init; } = SparseFeatureScaling.MaxAbsAboveOne;

    /// <summary>
    /// For a regression loss, train on the label centered by its mean and divided by its spread, and fold both back
    /// into the returned weights and bias (see <see cref="FeatureScaling"/>): labels in the thousands train as well as
    /// labels near 1. Losses, validation and early stopping stay in the label's own units.
    /// </summary>
    public bool StandardizeLabel { get; init; } = true;

    /// <summary>Where the bias starts when no initial weights are given.</summary>
    public BiasInitialization BiasInitialization { get; init; } = BiasInitialization.FromLabels;

    /// <summary>Checks every setting, throwing for the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the rule.</exception>
    public void Validate()
    {
        if (Epochs < 1)
            throw ArgumentChecks.OutOfRange(nameof(Epochs), Epochs, "must be at least 1");
        if (BatchSize < 1)
            throw ArgumentChecks.OutOfRange(nameof(BatchSize), BatchSize, "must be at least 1");
        if (ShuffleBlockSize < 1)
            throw ArgumentChecks.OutOfRange(nameof(ShuffleBlockSize), ShuffleBlockSize, "must be at least 1");
        if (EarlyStoppingPatience is < 1)
            throw ArgumentChecks.OutOfRange(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be at least 1 when set");
        ArgumentChecks.RequireNonNegative(EarlyStoppingMinDelta, nameof(EarlyStoppingMinDelta));
        ArgumentChecks.RequireNonNegative(L2Strength, nameof(L2Strength));
        if (!(HoldoutFraction is >= 0 and <= 0.5))
            throw ArgumentChecks.OutOfRange(nameof(HoldoutFraction), HoldoutFraction, "must be in [0, 0.5]");
        if (AverageFromEpoch is < 1)
            throw ArgumentChecks.OutOfRange(nameof(AverageFromEpoch), AverageFromEpoch, "must be at least 1 when set");
        if (!(DenseScaleBound > 0))
            throw ArgumentChecks.OutOfRange(nameof(DenseScaleBound), DenseScaleBound, "must be positive (+∞ for plain standardization)");
        ArgumentChecks.RequireDefined(SparseScaling, nameof(SparseScaling));
        ArgumentChecks.RequireDefined(BiasInitialization, nameof(BiasInitialization));
    }
}
