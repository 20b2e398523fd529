using System.Runtime.CompilerServices;
using Microsoft.ML;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Trainers.Data;

/// <summary>What a first pass over the training view found, and the rows to train on.</summary>
/// <param name="Rows">The in-memory store, or a source that streams the view each epoch.</param>
/// <param name="RowCount">Valid rows.</param>
/// <param name="Skipped">Rows left out, by reason.</param>
/// <param name="IsSparse">Whether rows are kept sparse (CSR).</param>
/// <param name="InMemory">Whether the rows were read into memory.</param>
/// <param name="BlockSize">Rows per shuffle block, the same for both paths.</param>
/// <param name="Statistics">The statistics asked for, measured while the rows were read into memory; null if not asked
/// for or not measured (streamed rows are measured by the trainer's own pass).</param>
internal sealed record LoadedTrainingData(ITrainingRows Rows, long RowCount, SkippedRows Skipped, bool IsSparse, bool InMemory, int BlockSize, DataStatistics? Statistics = null)
    : IDisposable
{
    /// <summary>Frees the rows' memory (an in-memory store lives outside the managed heap); the rows must no longer be read.</summary>
    public void Dispose() => (Rows as IDisposable)?.Dispose();
}

/// <summary>
/// Reads a training view: a counting pass decides the layout (sparse when under a quarter of the values are
/// nonzero) and whether the data fits the memory budget, and stores the rows as it goes; data that fits is kept in a
/// contiguous store (read a second time only when its density changes after the first block of rows), larger data is
/// streamed epoch by epoch. The block size depends only on the data's shape, so both paths train
/// the same model.
/// </summary>
internal static class TrainingDataLoader
{
    private const double SparseDensity = 0.25;
    private const long BlockBytes = 64L << 20;
    private const int MinBlockRows = 1 << 10;
    private const int MaxBlockRows = 1 << 20;

    /// <summary>Rows after which a dense store's density is first checked (<see cref="FirstRowsLookSparse"/>).</summary>
    private const int FirstDensityCheckRows = 16;

    /// <param name="data">The view.</param>
    /// <param name="columns">Its training columns.</param>
    /// <param name="memoryBudgetBytes">The most bytes of rows to hold in memory.</param>
    /// <param name="statistics">The statistics training will need, to measure in the pass that stores the rows (which
    /// saves the trainer a pass over them); null for none.</param>
    /// <param name="useOtherCore">Whether the statistics of sparse rows may be measured on another core, behind the
    /// reading (<see cref="StatisticsFollower"/>); the same bits either way.</param>
    public static LoadedTrainingData Load(IDataView data, TrainingColumns columns, long memoryBudgetBytes, DataStatistics.Request? statistics = null, bool useOtherCore = true)
    {
        int features = columns.FeatureCount;

        // The counting pass also stores the rows, so that data which fits in memory is read once: into a dense store
        // when the view knows its length and the rows fit the budget even dense (the store is kept if the data turns
        // out dense, the usual case, and given up as soon as its first rows look sparse), else into a sparse store that
        // is kept if the data turns out sparse (text, wide one-hot) and moved to a growing dense store when its first
        // rows prove it dense (a text file's numeric columns). Either way the store holds what a separate filling pass
        // would give.
        Pass first;
        if (data.GetRowCount() is long known && FitsDense(known, features, memoryBudgetBytes))
        {
            first = Read(data, columns, new RowStore(features, sparse: false, (int)known), statistics, known, memoryBudgetBytes, useOtherCore);
            if (first.Rows > known)
                first = first.WithoutStore(); // the view had more rows than it said: read it again below
        }
        else
        {
            first = Read(data, columns, new RowStore(features, sparse: true), statistics, long.MaxValue, memoryBudgetBytes, useOtherCore);
        }

        if (first.Rows == 0)
        {
            first.Store?.Dispose();
            throw new InvalidOperationException(
                $"Training set has 0 instances, aborting training. {first.Skipped.Describe()}");
        }

        long rows = first.Rows;
        bool sparse = IsSparse(rows, first.NonZeros, features);
        double bytesPerRow = sparse ? SparseRowBytes((double)first.NonZeros / rows) : 8 + 4.0 * features;
        int blockSize = (int)Math.Clamp(BlockBytes / Math.Max(bytesPerRow, 1), MinBlockRows, MaxBlockRows);

        double totalBytes = bytesPerRow * rows;
        bool fitsArrays = sparse ? first.NonZeros <= Array.MaxLength : (double)rows * features <= Array.MaxLength;
        if (totalBytes <= memoryBudgetBytes && fitsArrays && rows <= Array.MaxLength)
        {
            Pass filled = first;
            if (first.Store is null || first.Store.IsSparse != sparse)
            {
                first.Store?.Dispose(); // the counting pass stored the other layout, or gave up storing
                filled = Read(data, columns, new RowStore(features, sparse, (int)rows, sparse ? first.NonZeros : 0), statistics, rows, memoryBudgetBytes, useOtherCore, layoutDecided: true);
            }

            return new LoadedTrainingData(new InMemoryTrainingRows(filled.Store!), rows, first.Skipped, sparse, InMemory: true, blockSize, filled.Measured?.Complete());
        }

        first.Store?.Dispose();
        var streamed = new DataViewTrainingRows(data, columns, sparse, reservedRows: (int)Math.Min(blockSize, rows));
        return new LoadedTrainingData(streamed, rows, first.Skipped, sparse, InMemory: false, blockSize);
    }

    /// <summary>
    /// One pass over the valid rows: counts them and their nonzeros, and appends the first <paramref name="limit"/> to
    /// <paramref name="store"/>, measuring them a chunk behind (sparse rows on another core if <paramref name="useOtherCore"/>).
    /// Another core makes the store's pages resident meanwhile: first writes to fresh memory fault page by page, which
    /// for a large store costs more than the reading. The store is disposed if the pass fails.
    /// </summary>
    /// <remarks>
    /// A sparse store that could not be kept is given up as soon as that shows, and the pass goes on counting: when its
    /// values outgrow the budget or the largest array. When the first rows prove the data dense, they move to a dense
    /// store that the pass goes on filling, given up in turn if the rows outgrow the budget; a dense store whose first rows
    /// look sparse is given up at once. A pass with <paramref name="layoutDecided"/> (the layout chosen from the whole
    /// view's counts) keeps the store's layout whatever the first rows look like.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    private static Pass Read(IDataView data, TrainingColumns columns, RowStore? store, DataStatistics.Request? statistics, long limit, long memoryBudgetBytes, bool useOtherCore, bool layoutDecided = false)
    {
        // Sparse rows are measured on another core: each nonzero is a scattered access into arrays larger than the cache.
        // Dense rows are measured here as each is appended, in a few vector passes over a row still in cache, while the
        // other core makes the store's fresh pages resident (300,000 rows of 100 features: no faster on another core).
        StatisticsFollower? measured = store is null || statistics is null
            ? null
            : new StatisticsFollower(statistics.Value.CreateBuilder(columns.FeatureCount), store, measuredRows: 0, useOtherCore && store.IsSparse);
        long rows = 0, nonZeros = 0;

        // A dense store the layout was not decided for is made resident only once its first rows look dense: a text
        // view's dense store is hundreds of times the size of its rows, and making it resident (1.7 GB for SMS spam's
        // 5,574 texts) held the first Fit up by seconds even though the store is given up after 16 rows.
        bool populateWhenDense = store is { IsSparse: false } && !layoutDecided;
        try
        {
            if (!populateWhenDense)
                store?.PopulateInBackground();
            using var cursor = new ValidRowCursor(data, columns);
            while (cursor.MoveNext())
            {
                rows++;
                nonZeros += cursor.NonZeroCount;
                if (store is null || rows > limit)
                    continue;
                cursor.AppendTo(store);
                if (store.IsSparse && !layoutDecided && !WorthKeepingSparse(rows, store.SparseValueCount, columns.FeatureCount, memoryBudgetBytes))
                {
                    // Rows that proved dense go on into a dense store, so data of unknown length is still read once.
                    RowStore sparseStore = store;
                    bool provedDense = !IsSparse(rows, store.SparseValueCount, columns.FeatureCount) && FitsDense(rows, columns.FeatureCount, memoryBudgetBytes);
                    measured?.Dispose();
                    (store, measured) = provedDense ? Densify(sparseStore, statistics) : (null, null);
                    sparseStore.Dispose();
                    continue;
                }

                if (!store.IsSparse && !layoutDecided && FirstRowsLookSparse(rows, nonZeros, columns.FeatureCount))
                {
                    measured?.Dispose();
                    store.Dispose(); // read again below into a sparse store of the size this pass counts
                    (store, measured) = (null, null);
                    continue;
                }

                if (populateWhenDense && rows == FirstDensityCheckRows)
                {
                    store.PopulateInBackground();
                    populateWhenDense = false;
                }

                if (!store.IsSparse && !FitsDense(rows, columns.FeatureCount, memoryBudgetBytes))
                {
                    measured?.Dispose();
                    store.Dispose(); // data of unknown length outgrew the budget: counted on, then streamed
                    (store, measured) = (null, null);
                    continue;
                }

                if (store.IsSparse && rows == MinBlockRows && data.GetRowCount() is long expected && ReserveSparse(store, expected, memoryBudgetBytes))
                    store.PopulateInBackground(); // the reserved buffers

                measured?.RowAdded();
            }

            store?.FinishPopulating();
            return new Pass(rows, nonZeros, cursor.Skipped, store, measured?.Finish());
        }
        catch
        {
            measured?.Dispose();
            store?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reserves a sparse store's room for a view of known length at the density of its first rows, with a tenth to
    /// spare, if that fits the budget: one allocation instead of a doubling chain that copies the values about once
    /// more and maps twice the pages. Rows denser than the first ones only make the store grow again. Returns whether
    /// it reserved.
    /// </summary>
    private static bool ReserveSparse(RowStore store, long expectedRows, long memoryBudgetBytes)
    {
        int rows = store.RowCount;
        if (expectedRows <= rows || expectedRows > Array.MaxLength - 1)
            return false;
        double valuesPerRow = 1.1 * store.SparseValueCount / rows;
        double foreseenValues = (valuesPerRow * expectedRows) + MinBlockRows;
        if (foreseenValues > Array.MaxLength || expectedRows * SparseRowBytes(valuesPerRow) > memoryBudgetBytes)
            return false;
        store.ReserveRows((int)expectedRows);
        store.ReserveValues((long)foreseenValues);
        return true;
    }

    /// <summary>
    /// The rows of a sparse store copied into a dense one that grows as more are appended, measured afresh: the same
    /// rows and statistics a dense store filled from the view would hold (a −0 feature, dropped as a zero by the sparse
    /// store, comes back as +0, which changes no score).
    /// </summary>
    private static (RowStore Store, StatisticsFollower? Measured) Densify(RowStore sparse, DataStatistics.Request? statistics)
    {
        var dense = new RowStore(sparse.FeatureCount, sparse: false, capacity: 2 * sparse.RowCount);
        DataStatistics.Builder? measured = statistics?.CreateBuilder(sparse.FeatureCount);
        for (int row = 0; row < sparse.RowCount; row++)
        {
            dense.AddSparseRow(sparse.SparseIndices(row), sparse.SparseValues(row), sparse.FeatureCount, sparse.Labels[row], sparse.Weight(row));
            measured?.Add(dense, row);
        }

        return (dense, measured is null ? null : new StatisticsFollower(measured, dense, dense.RowCount, useOtherCore: false));
    }

    /// <summary>What a pass found: valid rows, their nonzeros, skipped rows, and the store and statistics it filled.</summary>
    private sealed record Pass(long Rows, long NonZeros, SkippedRows Skipped, RowStore? Store, DataStatistics.Builder? Measured)
    {
        /// <summary>This pass's counts, its store freed.</summary>
        public Pass WithoutStore()
        {
            Store?.Dispose();
            return this with { Store = null, Measured = null };
        }
    }

    /// <summary>
    /// Whether a sparse store of <paramref name="rows"/> rows holding <paramref name="storedValues"/> values (explicit
    /// zeros included) is still worth filling: within the budget and the largest array, and, once a block's worth of
    /// rows has been seen, sparse.
    /// </summary>
    private static bool WorthKeepingSparse(long rows, long storedValues, int features, long memoryBudgetBytes) =>
        storedValues <= Array.MaxLength
        && rows * SparseRowBytes((double)storedValues / rows) <= memoryBudgetBytes
        && (rows < MinBlockRows || IsSparse(rows, storedValues, features));

    /// <summary>
    /// Whether a dense store's first rows, at 16, 32, ... up to a block of rows, are sparse. A view of known length is
    /// read into a dense store (dense data is the usual case), but a text vector's dense row takes hundreds of
    /// kilobytes: 1,290 rows of GitHub issues' 150,000 features wrote 777 MB that the sparse layout then replaced. Sparse
    /// first rows give the store up at once; if the whole view turns out dense after all, it is read again either way.
    /// </summary>
    private static bool FirstRowsLookSparse(long rows, long values, int features) =>
        rows >= FirstDensityCheckRows && rows <= MinBlockRows && long.IsPow2(rows) && IsSparse(rows, values, features);

    /// <summary>Whether <paramref name="values"/> nonzeros in rows of <paramref name="features"/> make the data sparse: under a quarter of the values.</summary>
    private static bool IsSparse(long rows, long values, int features) =>
        features > 0 && values / ((double)rows * features) < SparseDensity;

    /// <summary>The bytes a row takes in a sparse store: its offset, label and weight, and an index and a value per stored value.</summary>
    private static double SparseRowBytes(double valuesPerRow) => 12 + 8 * valuesPerRow;

    private static bool FitsDense(long rows, int features, long memoryBudgetBytes) =>
        rows > 0 && rows <= Array.MaxLength && (double)rows * features <= Array.MaxLength && (8 + 4.0 * features) * rows <= memoryBudgetBytes;
}
