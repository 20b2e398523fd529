using System.Runtime.InteropServices;

namespace MLNet.AdaBelief.Training;

/// <summary>
/// Values in memory outside the garbage-collected heap, for the row store's features (dense values, or a sparse
/// store's indices and values): allocated uninitialized, offered to the kernel for 2 MB pages, and released when
/// disposed (or, if never disposed, freed when finalized).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>
/// A data set read into memory is the largest allocation of a training run, made once and dropped at its end. On the
/// managed heap, hundreds of megabytes trigger a full garbage collection that then runs beside training, on the core
/// the second half of each batch needs; out of the heap, the collector never sees it. A large buffer's memory is kept
/// a few seconds after its release for the next run's store (<see cref="RecentBlocks"/>), then goes back to the system.
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
    private const nuint SmallAlignment = 64;
    private const nuint LargeAlignment = (nuint)MemoryAdvice.HugePageBytes;

    private nint _address;
    private readonly nuint _capacity; // bytes of the block, at least the elements' (a reused block may be larger)
    private readonly bool _large;

    /// <summary>Allocates <paramref name="length"/> elements, not cleared (a large buffer may reuse a block a finished store released).</summary>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(1L, (long)length * sizeof(T));
        _large = MemoryAdvice.WorthHugePages((long)bytes);
        if (!_large)
        {
            _capacity = bytes;
            _address = (nint)NativeMemory.AlignedAlloc(bytes, SmallAlignment);
            return;
        }

        _address = RecentBlocks.TryTake(bytes, out _capacity);
        if (_address == 0)
        {
            // An eighth to spare, in whole huge pages, so that the next run's store of slightly more rows (another
            // fold) can reuse the block; pages past the elements are never touched unless it does.
            _capacity = (bytes + (bytes / 8) + LargeAlignment - 1) & ~(LargeAlignment - 1);
            _address = (nint)NativeMemory.AlignedAlloc(_capacity, LargeAlignment);
            MemoryAdvice.UseHugePages(_address, (long)_capacity);
        }
    }

    ~NativeBuffer() => Free(keep: false);

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

    /// <summary>Releases the memory (a large buffer's for reuse by the next store, for a few seconds); the span must no longer be in use.</summary>
    public void Dispose()
    {
        Free(keep: _large);
        GC.SuppressFinalize(this);
    }

    private void Free(bool keep)
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address == 0)
            return;
        if (keep)
            RecentBlocks.Keep(address, _capacity);
        else
            NativeMemory.AlignedFree((void*)address);
    }
}
