using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Two hints to the kernel for a large buffer that is about to be written front to back: use 2 MB pages for it, and
/// map its pages from another core while the writer goes on.
/// </summary>
/// <remarks>
/// Where transparent huge pages are set to "madvise", as on many distributions, the kernel uses them only for memory
/// marked with MADV_HUGEPAGE. Both hints change no contents; failures are ignored, and elsewhere than on Linux neither
/// is tried.
/// </remarks>
internal static partial class MemoryAdvice
{
    /// <summary>The size of a huge page; buffers that use them start on a multiple of it.</summary>
    public const long HugePageBytes = 2L << 20;

    private const int MadviseHugePage = 14;       // MADV_HUGEPAGE in <sys/mman.h>
    private const int MadvisePopulateWrite = 23;  // MADV_POPULATE_WRITE, Linux 5.14 and later
    private static volatile bool s_adviceUnavailable;

    /// <summary>Whether a buffer of this many bytes is large enough to be aligned to and marked for huge pages.</summary>
    public static bool WorthHugePages(long bytes) => bytes >= 2 * HugePageBytes;

    /// <summary>Marks the whole huge pages of a buffer that starts on a huge-page boundary for huge pages.</summary>
    public static void UseHugePages(nint address, long bytes) => Advise(address, bytes & ~(HugePageBytes - 1), MadviseHugePage);

    /// <summary>
    /// Makes the pages of a buffer resident from another core, front to back, while the caller writes them: first
    /// writes to fresh pages then seldom fault. Pages are mapped as a write would map them, without writing
    /// (MADV_POPULATE_WRITE), so racing the writer is safe. Dispose the result to stop and wait for it, before freeing
    /// the buffer.
    /// </summary>
    public static IDisposable PopulateInBackground(nint address, long bytes)
    {
        if (!OperatingSystem.IsLinux() || s_adviceUnavailable || Environment.ProcessorCount < 2 || !WorthHugePages(bytes))
            return new Population(null, null);
        var stop = new CancellationTokenSource();
        CancellationToken token = stop.Token;
        return new Population(stop, Task.Run(() => Populate(address, bytes & ~4095L, token), CancellationToken.None));
    }

    private static void Populate(nint start, long bytes, CancellationToken token)
    {
        const long Chunk = 4 * HugePageBytes;
        for (long offset = 0; offset < bytes && !token.IsCancellationRequested; offset += Chunk)
        {
            if (!Advise(start + (nint)offset, Math.Min(Chunk, bytes - offset), MadvisePopulateWrite))
                return;
        }
    }

    private static bool Advise(nint address, long bytes, int advice)
    {
        if (!OperatingSystem.IsLinux() || s_adviceUnavailable || bytes <= 0)
            return false;
        try
        {
            return Madvise(address, (nuint)bytes, advice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_adviceUnavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);

    /// <summary>A running population: disposing it stops it after the chunk under way and waits.</summary>
    private sealed class Population(CancellationTokenSource? stop, Task? task) : IDisposable
    {
        public void Dispose()
        {
            stop?.Cancel();
            task?.Wait();
            stop?.Dispose();
        }
    }
}
