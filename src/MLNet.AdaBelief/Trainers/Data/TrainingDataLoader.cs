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
internal sealed record LoadedTrainingData(ITrainingRows Rows, long RowCount, SkippedRows Skipped, bool IsSparse, bool InMemory, int BlockSize);

/// <summary>
/// Reads a training view: one counting pass decides the layout (sparse when under a quarter of the values are
/// nonzero) and whether the data fits the memory budget; data that fits is read once into a contiguous store,
/// larger data is streamed epoch by epoch. The block size depends only on the data's shape, so both paths train
/// the same model.
/// </summary>
internal static class TrainingDataLoader
{
    private const double SparseDensity = 0.25;
    private const long BlockBytes = 64L << 20;
    private const int MinBlockRows = 1 << 10;
    private const int MaxBlockRows = 1 << 20;

    public static LoadedTrainingData Load(IDataView data, TrainingColumns columns, long memoryBudgetBytes)
    {
        long rows = 0;
        long nonZeros = 0;
        SkippedRows skipped;
        int features = columns.FeatureCount;

        // When the view knows its length and the rows fit the budget even dense, read them once into a dense store
        // while counting; the store is kept if the data turns out dense (the usual case), so one pass does what the
        // counting pass and the filling pass below do. Either way the store holds what the two passes would give.
        RowStore? dense = null;
        if (data.GetRowCount() is long known && FitsDense(known, features, memoryBudgetBytes))
        {
            dense = new RowStore(features, sparse: false, (int)known);
            using var cursor = new ValidRowCursor(data, columns);
            while (cursor.MoveNext())
            {
                rows++;
                nonZeros += cursor.NonZeroCount;
                if (rows <= known)
                    cursor.AppendTo(dense);
            }

            skipped = cursor.Skipped;
            if (rows > known)
                dense = null; // the view had more rows than it said: read it again below
        }
        else
        {
            using var cursor = new ValidRowCursor(data, columns);
            while (cursor.MoveNext())
            {
                rows++;
                nonZeros += cursor.NonZeroCount;
            }

            skipped = cursor.Skipped;
        }

        if (rows == 0)
        {
            throw new InvalidOperationException(
                $"Training set has 0 instances, aborting training. {skipped.Describe()}");
        }

        double density = features == 0 ? 1 : nonZeros / ((double)rows * features);
        bool sparse = density < SparseDensity;
        double bytesPerRow = sparse ? 12 + 8.0 * nonZeros / rows : 8 + 4.0 * features;
        int blockSize = (int)Math.Clamp(BlockBytes / Math.Max(bytesPerRow, 1), MinBlockRows, MaxBlockRows);

        double totalBytes = bytesPerRow * rows;
        bool fitsArrays = sparse ? nonZeros <= Array.MaxLength : (double)rows * features <= Array.MaxLength;
        if (totalBytes <= memoryBudgetBytes && fitsArrays && rows <= Array.MaxLength)
        {
            if (!sparse && dense is not null)
                return new LoadedTrainingData(new InMemoryTrainingRows(dense), rows, skipped, sparse, InMemory: true, blockSize);
            dense = null;
            var store = new RowStore(features, sparse, (int)rows);
            using var cursor = new ValidRowCursor(data, columns);
            while (cursor.MoveNext())
                cursor.AppendTo(store);
            return new LoadedTrainingData(new InMemoryTrainingRows(store), rows, skipped, sparse, InMemory: true, blockSize);
        }

        return new LoadedTrainingData(new DataViewTrainingRows(data, columns, sparse), rows, skipped, sparse, InMemory: false, blockSize);
    }

    private static bool FitsDense(long rows, int features, long memoryBudgetBytes) =>
        rows > 0 && rows <= Array.MaxLength && (double)rows * features <= Array.MaxLength && (8 + 4.0 * features) * rows <= memoryBudgetBytes;
}
