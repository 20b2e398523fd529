namespace MLNet.AdaBelief.Training;

/// <summary>
/// A source of training rows, read one epoch at a time as consecutive blocks: <see cref="InMemoryTrainingRows"/>
/// holds them all, and the data view source (<c>DataViewTrainingRows</c>) re-reads an IDataView each epoch.
/// </summary>
/// <remarks>
/// <para>
/// The contract that makes every source train the same model: an epoch cuts the rows, in their stored order, into
/// consecutive blocks of <see cref="EpochPlan.BlockSize"/> rows (the last may be shorter); blocks are visited in that
/// order; within block k the rows are visited in the order <see cref="BlockShuffle.FillOrder"/> gives for (seed, epoch,
/// k). The trainer cuts mini-batches within each block. Nothing here needs random access across blocks, so a
/// streaming source reads one block into a reused <see cref="RowStore"/>, shuffles it, and hands it out, holding one
/// block in memory; the in-memory source hands out views of its one store.
/// </para>
/// <para>
/// Two sources give bit-identical models when they yield the same rows in the same layout (dense or sparse: the two
/// sum in different orders and so round differently).
/// </para>
/// </remarks>
internal interface ITrainingRows
{
    /// <summary>The number of features of every row.</summary>
    int FeatureCount { get; }

    /// <summary>True if every block's store is sparse (CSR), false if every one is dense.</summary>
    bool IsSparse { get; }

    /// <summary>The blocks of one epoch, in order. A block is valid until the enumerator moves on.</summary>
    IEnumerable<RowBlock> ReadEpoch(EpochPlan plan);
}

/// <summary>One block of an epoch: the rows to visit, in visiting order, as indices into a store.</summary>
/// <param name="Rows">The store holding the block's rows.</param>
/// <param name="Order">Indices into <paramref name="Rows"/>, in the order to visit them.</param>
internal readonly record struct RowBlock(RowStore Rows, ReadOnlyMemory<int> Order);
