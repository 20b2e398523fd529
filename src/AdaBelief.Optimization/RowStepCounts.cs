namespace AdaBelief.Optimization;

/// <summary>
/// How many steps each row of an optimizer's first tensor was present in, under <see cref="SparseStepCount.PerRow"/>:
/// part of an <see cref="AdaBeliefState"/>.
/// </summary>
public sealed class RowStepCounts
{
    internal RowStepCounts(int rowLength, int[] counts)
    {
        RowLength = rowLength;
        Counts = counts;
    }

    /// <summary>Parameters per row, as passed to the lazy steps.</summary>
    public int RowLength { get; }

    /// <summary>The count of each row, in row order.</summary>
    public ReadOnlyMemory<int> Counts { get; }
}
