using MLNet.AdaBelief.Training;

namespace MLNet.AdaBelief.Tests.Training;

/// <summary>
/// The row store's feature values outside the managed heap (dense values, a sparse store's indices and values):
/// marked for huge pages, reserved ahead and made resident from another core while rows are written, none of which may
/// change what the store holds; and the nonzero count that decides between dense and sparse storage.
/// </summary>
[TestClass]
public sealed class RowMemoryTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(1000)]
    [DataRow(3_000_001)] // 12 MB: aligned to and marked for huge pages on Linux, with a part-page tail
    public void NativeBuffer_HoldsWhatIsWritten_AndRefusesUseAfterDispose(int length)
    {
        var buffer = new NativeBuffer<float>(length);
        Span<float> values = buffer.Span;
        Assert.AreEqual(length, values.Length);
        for (int i = 0; i < length; i += 997)
            values[i] = i;
        for (int i = 0; i < length; i += 997)
            Assert.AreEqual((float)i, buffer.Span[i]);

        buffer.Dispose();
        buffer.Dispose(); // twice is harmless
        Assert.ThrowsExactly<ObjectDisposedException>(() => buffer.Span.Length);
    }

    [TestMethod]
    public void LargeBuffer_Released_IsReusedUnclearedByTheNextOfItsSize()
    {
        RecentBlocks.FreeAll();
        const int Length = 3_000_001; // 12 MB: large enough to be kept
        var first = new NativeBuffer<float>(Length);
        for (int i = 0; i < Length; i += 4093)
            first.Span[i] = i + 0.5f;
        first.Dispose();
        Assert.AreEqual(1, RecentBlocks.Count);

        using (var second = new NativeBuffer<float>(Length - 1000))
        {
            Assert.AreEqual(0, RecentBlocks.Count);
            for (int i = 0; i < Length - 1000; i += 4093)
                Assert.AreEqual(i + 0.5f, second.Span[i]); // the same block, not cleared (a fresh one reads 0)
        }

        Assert.AreEqual(1, RecentBlocks.Count);
        RecentBlocks.FreeAll();
        Assert.AreEqual(0, RecentBlocks.Count);
    }

    [TestMethod]
    public void ReleasedBlock_IsNotHandedToABufferOfLessThanHalfItsSize_NorKeptWhenSmall()
    {
        RecentBlocks.FreeAll();
        new NativeBuffer<float>(8_000_000).Dispose();
        Assert.AreEqual(1, RecentBlocks.Count);
        using (var smaller = new NativeBuffer<float>(1_500_000))
            Assert.AreEqual(1, RecentBlocks.Count); // a fresh block: the kept one stays for a store of its size
        Assert.AreEqual(2, RecentBlocks.Count);

        RecentBlocks.FreeAll();
        new NativeBuffer<float>(1000).Dispose();
        Assert.AreEqual(0, RecentBlocks.Count);
    }

    [TestMethod]
    public void DenseStore_GrowingWithoutAReservation_KeepsItsRows()
    {
        using var store = new RowStore(3, sparse: false);
        for (int i = 0; i < 1000; i++)
            store.AddDenseRow([i, -i, 0.5f], label: i);

        Assert.AreEqual(1000, store.RowCount);
        for (int i = 0; i < 1000; i += 37)
            CollectionAssert.AreEqual(new float[] { i, -i, 0.5f }, store.DenseRow(i).ToArray());
    }

    [TestMethod]
    public void PopulatingInBackground_WhileRowsAreWritten_KeepsEveryRow()
    {
        // 40,000 rows of 100 features: a 16 MB dense array, written front to back while another core maps its pages.
        const int Rows = 40_000, Features = 100;
        using var store = new RowStore(Features, sparse: false, Rows);
        var row = new float[Features];
        store.PopulateInBackground();
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Features; j++)
                row[j] = i + (j / 128f);
            store.AddDenseRow(row, label: i);
        }

        store.FinishPopulating();

        for (int i = 0; i < Rows; i += 7)
        {
            ReadOnlySpan<float> stored = store.DenseRow(i);
            Assert.AreEqual(i + 0f, stored[0], $"row {i}");
            Assert.AreEqual(i + (99 / 128f), stored[99], $"row {i}");
            Assert.AreEqual(i, store.Labels[i]);
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SparseStore_ReservedAheadThenOutgrown_KeepsEveryRow(bool populate)
    {
        // 3,000 rows of 1-1,500 nonzeros: a reservation for the first rows' density (8 MB of values and indices, so the
        // background population runs), then rows far denser, so the store grows past the reservation while populated.
        const int Rows = 3_000, Features = 5_000;
        using var store = new RowStore(Features, sparse: true);
        for (int i = 0; i < Rows; i++)
        {
            if (i == 100)
            {
                store.ReserveRows(Rows / 2);
                store.ReserveValues(1_000_000);
                if (populate)
                    store.PopulateInBackground(); // stopped by the store before it grows past these buffers
            }

            (int[] indices, float[] values) = SparseRow(i);
            store.AddSparseRow(indices, values, Features, label: i);
        }

        store.FinishPopulating();
        Assert.AreEqual(Rows, store.RowCount);
        long stored = 0;
        for (int i = 0; i < Rows; i++)
        {
            (int[] indices, float[] values) = SparseRow(i);
            CollectionAssert.AreEqual(indices, store.SparseIndices(i).ToArray(), $"row {i}");
            CollectionAssert.AreEqual(values, store.SparseValues(i).ToArray(), $"row {i}");
            Assert.AreEqual(i, store.Labels[i]);
            stored += indices.Length;
        }

        Assert.AreEqual(stored, store.SparseValueCount);

        static (int[] Indices, float[] Values) SparseRow(int i)
        {
            int count = i < 100 ? 1 + (i % 7) : 1 + (i % 1_500);
            int[] indices = Enumerable.Range(0, count).Select(k => ((k * 3) + (i % 3)) % Features).Distinct().Order().ToArray();
            return (indices, indices.Select(j => i + (j / 8192f)).ToArray());
        }
    }

    [TestMethod]
    [DataRow(0, -1)]       // below the range
    [DataRow(19, 200)]     // the last index beyond it
    [DataRow(1, 0)]        // a repeat within the first register
    [DataRow(13, 80)]      // a step down in a later register, every index in range
    [DataRow(19, 120)]     // a repeat in the scalar tail
    public void SparseRow_NotAscendingOrOutOfRange_IsRefusedAtItsPosition(int position, int index)
    {
        int[] indices = [.. Enumerable.Range(0, 20).Select(k => 5 * k + 30)];
        indices[position] = index;
        using var store = new RowStore(200, sparse: true);
        var error = Assert.ThrowsExactly<ArgumentException>(() => store.AddSparseRow(indices, new float[20], 200, label: 0f));
        StringAssert.Contains(error.Message, $"at position {position}");
        Assert.AreEqual(0, store.RowCount);

        indices[position] = position == 0 ? 0 : indices[position - 1] + 1; // mended: ascending, in range
        store.AddSparseRow(indices, new float[20], 200, label: 0f);
        Assert.AreEqual(1, store.RowCount);
    }

    [TestMethod]
    public void CountNonZeros_MatchesAScalarCount_ForZerosSignedZerosAndTails()
    {
        var random = new Random(5);
        for (int length = 0; length <= 70; length++)
        {
            foreach (double zeroShare in new[] { 0.0, 0.3, 1.0 })
            {
                float[] values = new float[length];
                for (int i = 0; i < length; i++)
                {
                    double u = random.NextDouble();
                    values[i] = u < zeroShare ? (random.Next(2) == 0 ? 0f : -0f) : (float)(random.NextDouble() - 0.5) + 1e-3f;
                }

                int expected = values.Count(v => v != 0f);
                Assert.AreEqual(expected, RowStore.CountNonZeros(values), $"length {length}, zero share {zeroShare}");
            }
        }
    }
}
