using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The statistics of rows being read are measured a chunk behind, on another core: they must be the bits of measuring
/// each row as it is appended, also while the store's buffers grow and its weights appear.
/// </summary>
[TestClass]
public sealed class StatisticsFollowerTests
{
    [TestMethod]
    [DataRow(false, true)]
    [DataRow(false, false)]
    [DataRow(true, true)]
    [DataRow(true, false)]
    public void Following_MeasuresTheBitsOfMeasuringEachRowAsItComes(bool sparse, bool otherCore)
    {
        // Several chunks, a store that starts empty and grows by doubling as the rows come (so its buffers are
        // replaced while chunks are measured), and example weights other than 1 from row 3,000 on.
        int rows = (3 * StatisticsFollower.ChunkRows) + 517;
        TestRows data = TrainingTestData.Random(11, rows, features: 40, (r, x) => r.Next(4), zeroShare: sparse ? 0.9 : 0.2, unitWeights: true);
        for (int i = 3000; i < rows; i += 3)
            data.Weights[i] = 0.5f + (i % 7);
        var request = new DataStatistics.Request(MeasureFeatures: true, ClassCount: 4);

        var expectedStore = new RowStore(40, sparse);
        DataStatistics.Builder expected = request.CreateBuilder(40);
        var followedStore = new RowStore(40, sparse);
        var follower = new StatisticsFollower(request.CreateBuilder(40), followedStore, measuredRows: 0, otherCore);
        for (int i = 0; i < rows; i++)
        {
            Add(expectedStore, data, i);
            expected.Add(expectedStore, i);
            Add(followedStore, data, i);
            follower.RowAdded();
        }

        DataStatistics own = expected.Complete(), followed = follower.Finish().Complete();

        Assert.IsNull(followedStore.BeforeBuffersChange, "a finished follower leaves the store");
        Assert.AreEqual(own.TotalWeight, followed.TotalWeight);
        Assert.AreEqual(own.LabelMean, followed.LabelMean);
        Assert.AreEqual(own.LabelSpread, followed.LabelSpread);
        CollectionAssert.AreEqual(own.ClassWeights, followed.ClassWeights);
        CollectionAssert.AreEqual(own.FeatureMean, followed.FeatureMean);
        CollectionAssert.AreEqual(own.FeatureSpread, followed.FeatureSpread);
        CollectionAssert.AreEqual(own.FeatureMaxDeviation, followed.FeatureMaxDeviation);
        expectedStore.Dispose();
        followedStore.Dispose();
    }

    [TestMethod]
    public void StartedBehindRowsAlreadyMeasured_MeasuresOnlyTheRest()
    {
        TestRows data = TrainingTestData.Random(12, rows: 5000, features: 10, (r, x) => x[0], zeroShare: 0.1);
        var request = new DataStatistics.Request(MeasureFeatures: true, ClassCount: 0);
        using RowStore store = data.Store(sparse: false);
        DataStatistics.Builder whole = request.CreateBuilder(10), split = request.CreateBuilder(10);
        for (int i = 0; i < store.RowCount; i++)
        {
            whole.Add(store, i);
            if (i < 1000)
                split.Add(store, i);
        }

        var follower = new StatisticsFollower(split, store, measuredRows: 1000, useOtherCore: true);
        DataStatistics expected = whole.Complete(), followed = follower.Finish().Complete();

        Assert.AreEqual(expected.TotalWeight, followed.TotalWeight);
        CollectionAssert.AreEqual(expected.FeatureMean, followed.FeatureMean);
        CollectionAssert.AreEqual(expected.FeatureSpread, followed.FeatureSpread);
    }

    private static void Add(RowStore store, TestRows data, int row)
    {
        float[] x = data.Features[row];
        int[] indices = Enumerable.Range(0, x.Length).Where(j => x[j] != 0f).ToArray();
        store.AddSparseRow(indices, indices.Select(j => x[j]).ToArray(), x.Length, data.Labels[row], data.Weights[row]);
    }
}
