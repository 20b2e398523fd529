using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Values in memory outside the garbage-collected heap, for the row store's features (dense values, or a sparse
/// store's indices and values): allocated uninitialized, offered to the kernel for 2 MB pages, and freed when disposed
/// (or, if never disposed, when finalized).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
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
/// the machine had touched before). See <see cref="MemoryAdvice"/> for the two hints that avoid most of that cost.
/// </para>
/// </remarks>
internal sealed unsafe class NativeBuffer<T> : IDisposable
    where T : unmanaged
{
    private nint _address;

    /// <summary>Allocates <paramref name="length"/> elements, not cleared.</summary>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(1L, (long)length * sizeof(T));
        bool large = MemoryAdvice.WorthHugePages((long)bytes);
        _address = (nint)NativeMemory.AlignedAlloc(bytes, large ? (nuint)MemoryAdvice.HugePageBytes : 64);
        if (large)
            MemoryAdvice.UseHugePages(_address, (long)bytes);
    }

    ~NativeBuffer() => Free();

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<T> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_address == 0, this);
            return new Span<T>((void*)_address, Length);
        }
    }

    /// <summary>
    /// Makes the pages resident from another core, front to back, while the caller writes them (see
    /// <see cref="MemoryAdvice.PopulateInBackground"/>). Dispose the result to stop and wait for it, before disposing
    /// the buffer.
    /// </summary>
    public IDisposable PopulateInBackground() => MemoryAdvice.PopulateInBackground(_address, (long)Length * sizeof(T));

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
}
