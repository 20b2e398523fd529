using System.Runtime.CompilerServices;

namespace MLNet.AdaBelief.Training;

/// <summary>A mini-batch: rows of one store picked by index, in the order they are visited.</summary>
/// <remarks>
/// Indices rather than copied rows: the in-memory path never moves feature data, and a streaming source points the
/// same type at the block it has just read.
/// </remarks>
internal readonly ref struct RowBatch
{
    public RowBatch(RowStore rows, ReadOnlySpan<int> indices, ReadOnlySpan<int> ahead = default)
    {
        Rows = rows;
        Indices = indices;
        Ahead = ahead;
    }

    /// <summary>The rows that will be visited after this batch, in order (possibly empty): a hint for prefetching only.</summary>
    public ReadOnlySpan<int> Ahead { get; }

    /// <summary>The store the rows come from.</summary>
    public RowStore Rows { get; }

    /// <summary>The rows of the batch, as indices into <see cref="Rows"/>.</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Rows prefetched ahead of the one being read: enough to cover a memory latency at a few tens of ns per row.</summary>
    public const int PrefetchDistance = 8;

    /// <summary>
    /// Rows ahead whose start is prefetched (<see cref="RowStore.PrefetchRowStart"/>): a sparse row's nonzeros can only be
    /// requested once its offsets are known, and these are in cache by the time the row is <see cref="PrefetchDistance"/>
    /// ahead.
    /// </summary>
    public const int StartPrefetchDistance = 2 * PrefetchDistance;

    /// <summary>Starts loading the batch's first rows into cache, before its row loop.</summary>
    public void PrefetchFirstRows()
    {
        for (int i = 0; i < Math.Min(StartPrefetchDistance, Indices.Length); i++)
            Rows.PrefetchRowStart(Indices[i]);
        for (int i = 0; i < Math.Min(PrefetchDistance, Indices.Length); i++)
            Rows.PrefetchRow(Indices[i]);
    }

    /// <summary>
    /// Starts loading the row <see cref="PrefetchDistance"/> places after position <paramref name="position"/>, and the
    /// start of the row <see cref="StartPrefetchDistance"/> places after it, from <see cref="Ahead"/> past the batch's
    /// end: shuffled rows are each a cache and TLB miss, and issuing the loads a few rows early overlaps them with the
    /// work on the rows before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchRowAfter(int position)
    {
        if (RowAt(position + StartPrefetchDistance) is int far and >= 0)
            Rows.PrefetchRowStart(far);
        if (RowAt(position + PrefetchDistance) is int near and >= 0)
            Rows.PrefetchRow(near);
    }

    /// <summary>The row visited at <paramref name="position"/> of the batch followed by <see cref="Ahead"/>, or −1 past both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RowAt(int position)
    {
        if (position < Indices.Length)
            return Indices[position];
        position -= Indices.Length;
        return position < Ahead.Length ? Ahead[position] : -1;
    }

    /// <summary>Σ wᵢ over the batch, in double so that a long batch of small weights keeps its precision.</summary>
    public double WeightSum()
    {
        if (Rows.HasUnitWeights)
            return Indices.Length;
        double sum = 0;
        foreach (int row in Indices)
            sum += Rows.Weight(row);
        return sum;
    }
}
