using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Large blocks of native memory that finished row stores gave up, kept for a few seconds so that the next store
/// reuses pages already mapped instead of faulting fresh ones in: cross-validation folds and sweeps train one model
/// after another on data of about the same size.
/// </summary>
/// <remarks>
/// <para>
/// Fresh memory costs a page fault and the kernel's zeroing per page on first write, which on a virtual machine can
/// take longer than reading the rows into it (the text set of the quality matrix: the core that maps a store's pages
/// busy for tens of milliseconds of a fit's reading). The managed heap keeps freed memory for reuse in the same way;
/// here a block is kept for <see cref="KeepFor"/> after its release and then freed, whether or not another run
/// came.
/// </para>
/// <para>
/// A block is handed out only for a request of at least half its size, so a small store never pins a large block, and
/// its old contents are not cleared: a <see cref="NativeBuffer{T}"/> is uninitialized either way.
/// </para>
/// </remarks>
internal static unsafe class RecentBlocks
{
    /// <summary>How long a released block is kept for reuse before it is freed.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(5);

    /// <summary>The most blocks kept at once (a sparse store gives up two, its indices and its values); the oldest goes first.</summary>
    private const int MaxBlocks = 4;

    private static readonly Lock s_lock = new();
    private static readonly List<Block> s_blocks = [];
    private static Timer? s_timer;

    /// <summary>The number of blocks kept right now (for tests).</summary>
    internal static int Count
    {
        get
        {
            lock (s_lock)
                return s_blocks.Count;
        }
    }

    /// <summary>
    /// Takes the smallest kept block of at least <paramref name="bytes"/> and at most twice as many; returns its address
    /// and size, or 0 if none fits. Every block starts on a huge-page boundary (only large buffers are kept).
    /// </summary>
    public static nint TryTake(nuint bytes, out nuint capacity)
    {
        lock (s_lock)
        {
            int best = -1;
            for (int i = 0; i < s_blocks.Count; i++)
            {
                Block block = s_blocks[i];
                if (block.Bytes >= bytes && block.Bytes / 2 <= bytes && (best < 0 || block.Bytes < s_blocks[best].Bytes))
                    best = i;
            }

            if (best < 0)
            {
                capacity = 0;
                return 0;
            }

            Block taken = s_blocks[best];
            s_blocks.RemoveAt(best);
            capacity = taken.Bytes;
            return taken.Address;
        }
    }

    /// <summary>Keeps a released block for <see cref="KeepFor"/>, freeing the oldest kept one if there are too many.</summary>
    public static void Keep(nint address, nuint bytes)
    {
        nint evicted = 0;
        lock (s_lock)
        {
            if (s_blocks.Count == MaxBlocks)
            {
                evicted = s_blocks[0].Address;
                s_blocks.RemoveAt(0);
            }

            s_blocks.Add(new Block(address, bytes, Environment.TickCount64));
            s_timer ??= new Timer(static _ => FreeExpired(), null, Timeout.Infinite, Timeout.Infinite);
            if (s_blocks.Count == 1 || evicted != 0)
                ArmForOldest(Environment.TickCount64);
        }

        if (evicted != 0)
            NativeMemory.AlignedFree((void*)evicted);
    }

    /// <summary>Frees every kept block now (for tests, and for a caller that wants the memory back at once).</summary>
    public static void FreeAll() => Free(olderThanMilliseconds: -1);

    private static void FreeExpired() => Free((long)KeepFor.TotalMilliseconds);

    private static void Free(long olderThanMilliseconds)
    {
        var expired = new List<nint>();
        lock (s_lock)
        {
            long now = Environment.TickCount64;
            for (int i = s_blocks.Count - 1; i >= 0; i--)
            {
                if (now - s_blocks[i].ReleasedAt >= olderThanMilliseconds)
                {
                    expired.Add(s_blocks[i].Address);
                    s_blocks.RemoveAt(i);
                }
            }

            ArmForOldest(now);
        }

        foreach (nint address in expired)
            NativeMemory.AlignedFree((void*)address);
    }

    /// <summary>Sets the timer to the oldest kept block's expiry, the first in the list (called under the lock).</summary>
    private static void ArmForOldest(long now)
    {
        if (s_blocks.Count == 0)
            return;
        long wait = s_blocks[0].ReleasedAt + (long)KeepFor.TotalMilliseconds - now;
        s_timer?.Change(TimeSpan.FromMilliseconds(Math.Max(1, wait)), Timeout.InfiniteTimeSpan);
    }

    private readonly record struct Block(nint Address, nuint Bytes, long ReleasedAt); // in the order released
}
