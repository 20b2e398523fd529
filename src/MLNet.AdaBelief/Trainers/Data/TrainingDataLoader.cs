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
        using (var cursor = new ValidRowCursor(data, columns))
        {
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

        int features = columns.FeatureCount;
        double density = features == 0 ? 1 : nonZeros / ((double)rows * features);
        bool sparse = density < SparseDensity;
        double bytesPerRow = sparse ? 12 + 8.0 * nonZeros / rows : 8 + 4.0 * features;
        int blockSize = (int)Math.Clamp(BlockBytes / Math.Max(bytesPerRow, 1), MinBlockRows, MaxBlockRows);

        double totalBytes = bytesPerRow * rows;
        bool fitsArrays = sparse ? nonZeros <= Array.MaxLength : (double)rows * features <= Array.MaxLength;
        if (totalBytes <= memoryBudgetBytes && fitsArrays && rows <= Array.MaxLength)
        {
            var store = new RowStore(features, sparse, (int)rows);
            using var cursor = new ValidRowCursor(data, columns);
            while (cursor.MoveNext())
                cursor.AppendTo(store);
            return new LoadedTrainingData(new InMemoryTrainingRows(store), rows, skipped, sparse, InMemory: true, blockSize);
        }

        return new LoadedTrainingData(new DataViewTrainingRows(data, columns, sparse), rows, skipped, sparse, InMemory: false, blockSize);
    }
}
