namespace MLNet.AdaBelief.Training;

/// <summary>
/// The visiting order of the rows of one block: a Fisher–Yates permutation from a generator seeded by
/// (seed, epoch, block index) alone.
/// </summary>
/// <remarks>
/// Seeding each block on its own, rather than drawing every block from one running generator, means a block's order
/// does not depend on how the blocks before it were read, or on their sizes: a streaming source and the in-memory
/// store agree by construction. The generator (SplitMix64) is written out here so the order never changes with the
/// runtime's <see cref="Random"/>.
/// </remarks>
internal static class BlockShuffle
{
    /// <summary>Writes <paramref name="firstRow"/> + the block's permutation of 0..n−1 into <paramref name="order"/> (n its length).</summary>
    public static void FillOrder(Span<int> order, int firstRow, EpochPlan plan, long blockIndex)
    {
        for (int i = 0; i < order.Length; i++)
            order[i] = firstRow + i;
        if (!plan.Shuffle || order.Length < 2)
            return;

        ulong state = Mix((ulong)(uint)plan.Seed) ^ Mix(0x9E3779B97F4A7C15UL * (ulong)(uint)plan.Epoch + 1) ^ Mix(~(ulong)blockIndex);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = Below(ref state, (uint)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    // Lemire's multiply-and-reject: unbiased j in [0, bound).
    private static int Below(ref ulong state, uint bound)
    {
        ulong product = (ulong)Next32(ref state) * bound;
        if ((uint)product < bound)
        {
            uint threshold = (0u - bound) % bound;
            while ((uint)product < threshold)
                product = (ulong)Next32(ref state) * bound;
        }

        return (int)(product >> 32);
    }

    private static uint Next32(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return (uint)(Mix(state) >> 32);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
