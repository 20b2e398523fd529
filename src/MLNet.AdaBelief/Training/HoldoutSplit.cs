namespace MLNet.AdaBelief.Training;

/// <summary>
/// Which training rows are held out to measure generalization: each row independently, with probability
/// <see cref="Fraction"/>, decided by a hash of (seed, the row's position in the stored order) alone.
/// </summary>
/// <remarks>
/// The decision depends on nothing a source could do differently (how rows are read, in which blocks, on which
/// thread), so a streamed and an in-memory source hold out the same rows, and the same seed holds out the same rows
/// every time. Rows are drawn independently rather than as an exact count, so no pass over the data is needed to
/// decide; the held-out share of n rows is Fraction·n ± √(Fraction·n).
/// </remarks>
/// <param name="Fraction">The probability that a row is held out, in [0, 1).</param>
/// <param name="Seed">The training seed.</param>
internal readonly record struct HoldoutSplit(double Fraction, int Seed)
{
    /// <summary>Whether the row at <paramref name="row"/> (counted from 0 in the stored order) is held out.</summary>
    public bool IsHeldOut(long row)
    {
        // SplitMix64 finalizer of (seed, row); the top 53 bits as a uniform double in [0, 1).
        ulong z = ((ulong)(uint)Seed << 32 ^ 0xD1B54A32D192ED03UL) + (ulong)row * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) < Fraction;
    }

    /// <summary>
    /// Mini-batches per epoch of the rows kept for training: each block of <paramref name="blockSize"/> rows keeps its
    /// rows that are not held out, and batches are cut within blocks, as the trainer cuts them.
    /// </summary>
    public long CountTrainingSteps(long rows, int blockSize, int batchSize)
    {
        long steps = 0;
        for (long first = 0; first < rows; first += blockSize)
        {
            long end = Math.Min(rows, first + blockSize), kept = 0;
            for (long row = first; row < end; row++)
            {
                if (!IsHeldOut(row))
                    kept++;
            }

            steps += (kept + batchSize - 1) / batchSize;
        }

        return steps;
    }

    /// <summary>The number of rows among the first <paramref name="rows"/> that are kept for training.</summary>
    public long CountTrainingRows(long rows)
    {
        long kept = 0;
        for (long row = 0; row < rows; row++)
        {
            if (!IsHeldOut(row))
                kept++;
        }

        return kept;
    }
}
