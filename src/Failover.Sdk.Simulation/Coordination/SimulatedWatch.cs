using Failover.Sdk.Coordination;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// A watch on the simulated store, shared by its two ends: the store forwards changes into it over
/// the network, in order, and the watching node reads them as they arrive on its clock.
/// </summary>
internal sealed class SimulatedWatch
{
    private readonly Queue<CoordinationEvent> _arrived = new();
    private Exception? _failure;
    private TaskCompletionSource<CoordinationEvent>? _waiter;
    private CancellationTokenRegistration _waiting;

    /// <summary>Whether either end has let go: the store forwards nothing more.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>When (true ticks) the last change sent on it arrives: a later one never overtakes it, as on one TCP stream.</summary>
    public long LastArrival { get; set; }

    /// <summary>The next change, or the error that ended the watch; inline when one has arrived.</summary>
    public Task<CoordinationEvent> NextAsync(CancellationToken cancellationToken)
    {
        if (_arrived.TryDequeue(out CoordinationEvent? change))
        {
            return System.Threading.Tasks.Task.FromResult(change);
        }

        if (_failure is not null)
        {
            return System.Threading.Tasks.Task.FromException<CoordinationEvent>(_failure);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return System.Threading.Tasks.Task.FromCanceled<CoordinationEvent>(cancellationToken);
        }

        var waiter = new TaskCompletionSource<CoordinationEvent>();
        _waiter = waiter;
        _waiting = cancellationToken.UnsafeRegister(static (s, token) => ((TaskCompletionSource<CoordinationEvent>)s!).TrySetCanceled(token), waiter);
        return waiter.Task;
    }

    /// <summary>A change reached the watching node.</summary>
    public void Arrive(CoordinationEvent change)
    {
        // A waiter its caller gave up on (cancelled) cannot take it: keep it for a later read.
        if (TakeWaiter() is not { } waiter || !waiter.TrySetResult(change))
        {
            _arrived.Enqueue(change);
        }
    }

    /// <summary>The watch broke (the store is out of reach, or it has compacted the changes asked for).</summary>
    public void Fail(Exception error)
    {
        IsClosed = true;
        _failure ??= error;
        TakeWaiter()?.TrySetException(error);
    }

    public void Close() => IsClosed = true;

    private TaskCompletionSource<CoordinationEvent>? TakeWaiter()
    {
        TaskCompletionSource<CoordinationEvent>? waiter = _waiter;
        if (waiter is not null)
        {
            _waiter = null;
            _waiting.Dispose();
        }

        return waiter;
    }
}
