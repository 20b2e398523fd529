using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.AdaBelief.Trainers.Data;
using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Trainers;

/// <summary>
/// The loader reads in one pass a view whose row count is known, and sparse or dense data of unknown length. Every way
/// must hold the same rows and train the same model.
/// </summary>
[TestClass]
public sealed class TrainingDataLoaderTests
{
    private static IDataView Known(MLContext ml, IDataView view)
    {
        IDataView cached = ml.Data.Cache(view);
        using (DataViewRowCursor cursor = cached.GetRowCursor(cached.Schema))
        {
            while (cursor.MoveNext())
            {
            }
        }

        Assert.IsNotNull(cached.GetRowCount(), "a filled cache knows its length");
        return cached;
    }

    private static SyntheticData.RegressionRow[] RowsWithInvalidOnes()
    {
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(3000, seed: 5);
        rows[10].Label = float.NaN;
        rows[20].Features[1] = float.PositiveInfinity;
        return rows;
    }

    [TestMethod]
    public void Load_KnownAndUnknownRowCount_HoldTheSameRows()
    {
        var ml = new MLContext(seed: 1);
        IDataView streaming = SyntheticData.Load(ml, RowsWithInvalidOnes().Select(r => r));
        Assert.IsNull(streaming.GetRowCount());
        IDataView known = Known(ml, streaming);
        TrainingColumns columns = TrainingColumns.Resolve(streaming.Schema, "Label", "Features", null, LabelKind.Real);

        LoadedTrainingData a = TrainingDataLoader.Load(streaming, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        LoadedTrainingData b = TrainingDataLoader.Load(known, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);

        Assert.AreEqual(2998, a.RowCount);
        Assert.AreEqual(a.RowCount, b.RowCount);
        Assert.AreEqual(a.Skipped.Total, b.Skipped.Total);
        Assert.AreEqual(1, b.Skipped.BadLabel);
        Assert.AreEqual(1, b.Skipped.BadFeatures);
        Assert.IsFalse(b.IsSparse);
        Assert.AreEqual(a.BlockSize, b.BlockSize);
        RowStore x = ((InMemoryTrainingRows)a.Rows).Rows, y = ((InMemoryTrainingRows)b.Rows).Rows;
        Assert.AreEqual(x.RowCount, y.RowCount);
        CollectionAssert.AreEqual(x.Labels.ToArray(), y.Labels.ToArray());
        for (int row = 0; row < x.RowCount; row++)
            CollectionAssert.AreEqual(x.DenseRow(row).ToArray(), y.DenseRow(row).ToArray(), $"row {row}");
    }

    [TestMethod]
    public void Load_SparseDataOfKnownCount_IsStoredSparse_InRoomReservedAfterTheFirstBlock()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(3000, seed: 4);
        foreach (SyntheticData.RegressionRow row in rows)
        {
            for (int j = 0; j < row.Features.Length; j++)
            {
                if (j != random.Next(row.Features.Length))
                    row.Features[j] = 0;
            }
        }

        IDataView streaming = SyntheticData.Load(ml, rows.Select(r => r));
        TrainingColumns columns = TrainingColumns.Resolve(streaming.Schema, "Label", "Features", null, LabelKind.Real);
        LoadedTrainingData a = TrainingDataLoader.Load(streaming, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        LoadedTrainingData b = TrainingDataLoader.Load(Known(ml, streaming), columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);

        Assert.IsNull(streaming.GetRowCount());
        Assert.IsTrue(a.IsSparse);
        Assert.IsTrue(b.IsSparse);
        RowStore x = ((InMemoryTrainingRows)a.Rows).Rows, y = ((InMemoryTrainingRows)b.Rows).Rows;
        Assert.IsTrue(y.IsSparse);
        Assert.AreEqual(rows.Length, y.RowCount);
        Assert.AreEqual(x.RowCount, y.RowCount);
        Assert.AreEqual(rows.Length, y.Capacity, "a view of known length reserves its rows once the first block is in");
        Assert.AreEqual(x.SparseValueCount, y.SparseValueCount);
        for (int row = 0; row < x.RowCount; row++)
        {
            CollectionAssert.AreEqual(x.SparseIndices(row).ToArray(), y.SparseIndices(row).ToArray(), $"row {row}");
            CollectionAssert.AreEqual(x.SparseValues(row).ToArray(), y.SparseValues(row).ToArray(), $"row {row}");
        }
    }

    [TestMethod]
    public void Load_OfKnownLength_WhoseFirstRowsAreSparse_ButTheWholeDense_HoldsTheRowsDense()
    {
        // The dense store of a view of known length is given up once its first rows look sparse; the rows are then
        // read again, and a view that is dense after all still ends in a dense store holding every row.
        var ml = new MLContext(seed: 1);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(3000, seed: 7);
        foreach (SyntheticData.RegressionRow row in rows.Take(100))
            Array.Clear(row.Features, 1, row.Features.Length - 1);

        IDataView streaming = SyntheticData.Load(ml, rows.Select(r => r));
        var known = new PassCountingView(Known(ml, streaming));
        TrainingColumns columns = TrainingColumns.Resolve(streaming.Schema, "Label", "Features", null, LabelKind.Real);
        using LoadedTrainingData a = TrainingDataLoader.Load(streaming, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);
        using LoadedTrainingData b = TrainingDataLoader.Load(known, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);

        Assert.IsFalse(a.IsSparse);
        Assert.IsFalse(b.IsSparse);
        Assert.AreEqual(2, known.Passes, "given up after the first rows, the store is filled by a second pass");
        RowStore x = ((InMemoryTrainingRows)a.Rows).Rows, y = ((InMemoryTrainingRows)b.Rows).Rows;
        Assert.IsFalse(y.IsSparse);
        Assert.AreEqual(rows.Length, y.RowCount);
        CollectionAssert.AreEqual(x.Labels.ToArray(), y.Labels.ToArray());
        for (int row = 0; row < x.RowCount; row++)
            CollectionAssert.AreEqual(x.DenseRow(row).ToArray(), y.DenseRow(row).ToArray(), $"row {row}");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Load_SparseDataWhoseFirstBlockIsDense_IsStoredSparse(bool knownCount)
    {
        // The first pass moves the dense-looking first block to a dense store; the whole view is sparse, so the second
        // pass fills a sparse store and keeps it sparse through the same dense-looking block.
        var ml = new MLContext(seed: 1);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(30_000, seed: 8);
        foreach (SyntheticData.RegressionRow row in rows.Skip(1100))
            Array.Clear(row.Features, 1, row.Features.Length - 1);

        IDataView view = SyntheticData.Load(ml, rows.Select(r => r));
        if (knownCount)
            view = Known(ml, view);
        TrainingColumns columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);
        using LoadedTrainingData loaded = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);

        Assert.IsTrue(loaded.IsSparse);
        RowStore store = ((InMemoryTrainingRows)loaded.Rows).Rows;
        Assert.IsTrue(store.IsSparse, "the layout chosen from the whole view");
        Assert.AreEqual(rows.Length, store.RowCount);
        CollectionAssert.AreEqual(rows[5].Features, store.SparseValues(5).ToArray());
        CollectionAssert.AreEqual(new[] { rows[1200].Features[0] }, store.SparseValues(1200).ToArray());
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Load_OfUnknownLength_ReadsTheViewOnce(bool sparse)
    {
        var ml = new MLContext(seed: 1);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(3000, seed: 6);
        if (sparse)
        {
            foreach (SyntheticData.RegressionRow row in rows)
                Array.Clear(row.Features, 1, row.Features.Length - 1);
        }

        var view = new PassCountingView(SyntheticData.Load(ml, rows.Select(r => r)));
        TrainingColumns columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);

        using LoadedTrainingData loaded = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes);

        Assert.AreEqual(sparse, loaded.IsSparse);
        Assert.IsTrue(loaded.InMemory);
        Assert.AreEqual(3000, loaded.RowCount);
        Assert.AreEqual(1, view.Passes);
    }

    [TestMethod]
    public void Load_SparseDataOverTheBudget_GivesUpTheStore_AndStreams()
    {
        var ml = new MLContext(seed: 1);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(3000, seed: 6);
        foreach (SyntheticData.RegressionRow row in rows)
            Array.Clear(row.Features, 1, row.Features.Length - 1);
        IDataView view = SyntheticData.Load(ml, rows.Select(r => r));
        TrainingColumns columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);

        // 3,000 rows of one value take 60 kB sparse; a budget of 20 kB is outgrown a third of the way through.
        using LoadedTrainingData loaded = TrainingDataLoader.Load(view, columns, memoryBudgetBytes: 20_000, new DataStatistics.Request(true, 0));

        Assert.IsTrue(loaded.IsSparse);
        Assert.IsFalse(loaded.InMemory);
        Assert.AreEqual(3000, loaded.RowCount);
        Assert.IsNull(loaded.Statistics);
    }

    [TestMethod]
    public void Load_DenseDataOfUnknownLengthOverTheBudget_GivesUpTheStore_AndStreams()
    {
        var ml = new MLContext(seed: 1);
        SyntheticData.RegressionRow[] rows = SyntheticData.Regression(3000, seed: 6);
        var view = new PassCountingView(SyntheticData.Load(ml, rows.Select(r => r)));
        TrainingColumns columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);
        long denseRowBytes = 8 + (4L * columns.FeatureCount);

        // Proved dense after the first block of rows, the store then outgrows a budget of 2,000 dense rows.
        using LoadedTrainingData loaded = TrainingDataLoader.Load(view, columns, memoryBudgetBytes: 2000 * denseRowBytes, new DataStatistics.Request(true, 0));

        Assert.IsFalse(loaded.IsSparse);
        Assert.IsFalse(loaded.InMemory);
        Assert.AreEqual(3000, loaded.RowCount);
        Assert.IsNull(loaded.Statistics);
        Assert.AreEqual(1, view.Passes);
    }

    [TestMethod]
    public void Fit_KnownAndUnknownRowCount_GiveBitIdenticalModels()
    {
        var ml = new MLContext(seed: 1);
        IDataView streaming = SyntheticData.Load(ml, RowsWithInvalidOnes().Select(r => r));
        Assert.IsNull(streaming.GetRowCount());
        var options = new AdaBeliefRegressionTrainer.Options { Seed = 7, NumberOfEpochs = 3, BatchSize = 32 };

        var a = ml.Regression.Trainers.AdaBelief(options).Fit(streaming).Model;
        var b = ml.Regression.Trainers.AdaBelief(options).Fit(Known(ml, streaming)).Model;

        CollectionAssert.AreEqual(a.Weights.ToArray(), b.Weights.ToArray());
        Assert.AreEqual(a.Bias, b.Bias);
    }

    [TestMethod]
    [DataRow(true, false)]
    [DataRow(false, false)]
    [DataRow(true, true)]
    [DataRow(false, true)]
    public void Load_StatisticsMeasuredWhileReading_EqualTheTrainersOwnPass(bool knownCount, bool sparse)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(8);
        SyntheticData.RegressionRow[] rows = RowsWithInvalidOnes();
        foreach (SyntheticData.RegressionRow row in rows)
        {
            row.Weight = 0.5f + (float)random.NextDouble();
            if (sparse)
                Array.Clear(row.Features, 1, row.Features.Length - 1);
        }

        IDataView view = SyntheticData.Load(ml, rows.Select(r => r));
        if (knownCount)
            view = Known(ml, view);
        TrainingColumns columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", "Weight", LabelKind.Real);
        var request = new DataStatistics.Request(MeasureFeatures: true, ClassCount: 0);

        using LoadedTrainingData loaded = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes, request);

        Assert.AreEqual(sparse, loaded.IsSparse);
        Assert.IsNotNull(loaded.Statistics);
        DataStatistics own = DataStatistics.Compute(loaded.Rows, measureFeatures: true, classCount: 0);
        Assert.IsTrue(request.IsMetBy(loaded.Statistics));
        Assert.AreEqual(own.TotalWeight, loaded.Statistics.TotalWeight);
        Assert.AreEqual(own.LabelMean, loaded.Statistics.LabelMean);
        CollectionAssert.AreEqual(own.FeatureSpread, loaded.Statistics.FeatureSpread);
        CollectionAssert.AreEqual(own.FeatureMaxDeviation, loaded.Statistics.FeatureMaxDeviation);
        CollectionAssert.AreEqual(own.FeatureMean, loaded.Statistics.FeatureMean);
    }

    [TestMethod]
    public void Load_WithoutARequest_MeasuresNothing_AndStreamedRowsAreLeftToTheTrainer()
    {
        var ml = new MLContext(seed: 1);
        IDataView view = Known(ml, SyntheticData.Load(ml, SyntheticData.Regression(500, seed: 2).Select(r => r)));
        TrainingColumns columns = TrainingColumns.Resolve(view.Schema, "Label", "Features", null, LabelKind.Real);

        using (LoadedTrainingData inMemory = TrainingDataLoader.Load(view, columns, AdaBeliefTrainerDefaults.MemoryBudgetBytes))
            Assert.IsNull(inMemory.Statistics);
        using LoadedTrainingData streamed = TrainingDataLoader.Load(view, columns, memoryBudgetBytes: 0, new DataStatistics.Request(true, 0));
        Assert.IsFalse(streamed.InMemory);
        Assert.IsNull(streamed.Statistics);
    }
}

/// <summary>A view that counts the passes made over it: every cursor, or set of cursors, asked for.</summary>
internal sealed class PassCountingView(IDataView inner) : IDataView
{
    public int Passes { get; private set; }

    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Passes++;
        return inner.GetRowCursor(columnsNeeded, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        Passes++;
        return inner.GetRowCursorSet(columnsNeeded, n, rand);
    }
}
