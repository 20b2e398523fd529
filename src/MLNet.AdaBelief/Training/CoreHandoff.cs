using System.Runtime.CompilerServices;
namespace MLNet.AdaBelief.Training;

/// <summary>
/// Hands one job at a time from the training loop to a thread of its own, for work that overlaps the loop's on another
/// core: the second half of a dense batch (<see cref="SecondHalfWorker"/>), a sparse batch's gradient and the next
/// batch's preparation (<see cref="SparseBatchPipeline"/>), the statistics of the rows read so far (<see cref="StatisticsFollower"/>).
/// </summary>
/// <remarks>
/// The thread spins between jobs (a job takes microseconds; waking a sleeping thread would take longer), so a handoff
/// lives only as long as the loop needs it and exits when disposed. A job the thread has not taken up by the time the
/// loop wants its result (the core may be busy with a garbage collection or another program) the loop takes back and
/// runs itself, so a descheduled thread never stalls training. What the job computes must not depend on the thread
/// that runs it.
/// </remarks>
internal sealed class CoreHandoff : IDisposable
{
    private const int Idle = 0, Posted = 1, Claimed = 2, Done = 3;

    private readonly Action _job;
    private readonly Thread _thread;
    private int _state; // Idle → Posted (loop) → Claimed (thread) → Done (thread) → Idle (loop); or Posted → Idle (loop takes it back)
    private volatile bool _stopping;
    private Exception? _error;

    /// <param name="job">What the thread runs for each posted job; its inputs are set by the loop before <see cref="Post"/>.</param>
    /// <param name="name">The thread's name.</param>
    public CoreHandoff(Action job, string name)
    {
        _job = job;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Offers the job to the thread; its inputs must not change until <see cref="TakeBackOrWait"/> returns.</summary>
    public void Post() => Volatile.Write(ref _state, Posted);

    /// <summary>
    /// Takes the posted job back if the thread has not taken it up yet, returning true (the caller then does what it
    /// needs of it itself); false if the thread is running it or has run it, which <see cref="TakeBackOrWait"/> then
    /// waits for.
    /// </summary>
    public bool TryTakeBack() => Interlocked.CompareExchange(ref _state, Idle, Posted) == Posted;

    /// <summary>
    /// Returns true if the thread had not taken the posted job up (the caller now runs it itself); otherwise waits for
    /// the thread to finish it, rethrows what it threw, and returns false.
    /// </summary>
    public bool TakeBackOrWait()
    {
        if (TryTakeBack())
            return true;

        var spinner = new Spinner();
        while (Volatile.Read(ref _state) != Done)
            spinner.Spin();
        Volatile.Write(ref _state, Idle);
        if (_error is { } error)
        {
            _error = null;
            throw error;
        }

        return false;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from a Fit's first rows: optimized at once, not after tiering
    private void Run()
    {
        var spinner = new Spinner();
        while (!_stopping)
        {
            if (Volatile.Read(ref _state) != Posted || Interlocked.CompareExchange(ref _state, Claimed, Posted) != Posted)
            {
                spinner.Spin();
                continue;
            }

            spinner = default;
            try
            {
                _job();
            }
#pragma warning disable CA1031 // rethrown on the training thread by TakeBackOrWait
            catch (Exception e)
#pragma warning restore CA1031
            {
                _error = e;
            }

            Volatile.Write(ref _state, Done);
        }
    }

    /// <summary>
    /// Busy-waits with pause instructions for about the length of a text batch (some 20 µs), then yields the core at each
    /// call: the other side usually answers within microseconds, and a yield is a system call that would delay noticing
    /// it; but when it does not, the thread waited for may be waiting for this very core, which on two cores the
    /// runtime's compiler, its collector and other programs share with training. (Yielding only after about 2 ms made
    /// synthetic text's fits slower in six of eight alternated pairs, medians 0.130-0.265 s against 0.137-0.185 s.)
    /// </summary>
    private struct Spinner
    {
        private const int PauseRounds = 200;
        private int _rounds;

        public void Spin()
        {
            if (_rounds++ < PauseRounds)
                Thread.SpinWait(4);
            else
                Thread.Yield();
        }
    }
}
