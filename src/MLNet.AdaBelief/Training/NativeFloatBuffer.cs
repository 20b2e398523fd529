using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Floats in memory outside the garbage-collected heap, for the row store's feature values: allocated uninitialized,
/// offered to the kernel for 2 MB pages, and freed when disposed (or, if never disposed, when finalized).
/// </summary>
/// <remarks>
/// <para>
/// A data set read into memory is the largest allocation of a training run, made once and dropped at its end. On the
/// managed heap, hundreds of megabytes trigger a full garbage collection that then runs beside training, on the core
/// the second half of each batch needs; out of the heap, the collector never sees it, and the memory goes back to the
/// system as soon as the trainer is done.
/// </para>
/// <para>
/// The first write to each page of fresh memory is a page fault: for 400 MB of 4 KB pages, 100,000 of them, which on a
/// virtual machine cost more than reading the data (measured here: 0.25 s against 0.04 s with 2 MB pages, on memory
/// the machine had touched before). Where transparent huge pages are set to "madvise", as on many distributions, the
/// kernel uses them only for memory marked with MADV_HUGEPAGE; <see cref="PopulateInBackground"/> takes the faults
/// on another core while the rows are written. Both are hints that change no contents; failures are ignored, and
/// elsewhere than on Linux neither is tried.
/// </para>
/// </remarks>
internal sealed unsafe partial class NativeFloatBuffer : IDisposable
{
    private const int MadviseHugePage = 14;       // MADV_HUGEPAGE in <sys/mman.h>
    private const int MadvisePopulateWrite = 23;  // MADV_POPULATE_WRITE, Linux 5.14 and later
    private const long HugePageBytes = 2L << 20;
    private static volatile bool s_adviceUnavailable;

    private nint _address;

    /// <summary>Allocates <paramref name="length"/> floats, not cleared.</summary>
    public NativeFloatBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(1L, (long)length * sizeof(float));
        bool large = (long)bytes >= 2 * HugePageBytes;
        _address = (nint)NativeMemory.AlignedAlloc(bytes, large ? (nuint)HugePageBytes : 64);
        if (large)
            Advise(_address, (long)bytes & ~(HugePageBytes - 1), MadviseHugePage);
    }

    ~NativeFloatBuffer() => Free();

    /// <summary>The number of floats.</summary>
    public int Length { get; }

    /// <summary>The floats.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<float> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_address == 0, this);
            return new Span<float>((void*)_address, Length);
        }
    }

    /// <summary>
    /// Makes the pages resident from another core, front to back, while the caller writes them: first writes to fresh
    /// pages then seldom fault. Pages are mapped as a write would map them, without writing (MADV_POPULATE_WRITE), so
    /// racing the writer is safe. Dispose the result to stop and wait for it, before disposing the buffer.
    /// </summary>
    public IDisposable PopulateInBackground()
    {
        long bytes = (long)Length * sizeof(float);
        if (!OperatingSystem.IsLinux() || s_adviceUnavailable || Environment.ProcessorCount < 2 || bytes < 2 * HugePageBytes)
            return new Population(null, null);
        var stop = new CancellationTokenSource();
        nint start = _address;
        CancellationToken token = stop.Token;
        return new Population(stop, Task.Run(() => Populate(start, bytes & ~4095L, token), CancellationToken.None));
    }

    /// <summary>Frees the memory; the span must no longer be in use.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
            NativeMemory.AlignedFree((void*)address);
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
