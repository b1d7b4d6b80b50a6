namespace Failover.Sdk.Simulation.Time;

/// <summary>
/// A timer of <see cref="VirtualTimeProvider"/>: it fires only when the simulator runs
/// virtual time past its due instant, on the simulator's thread.
/// </summary>
internal sealed class VirtualTimer : VirtualEvent, ITimer
{
    private readonly VirtualTimeProvider _owner;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly ExecutionContext? _context;

    public VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state, ExecutionContext? context)
    {
        _owner = owner;
        _callback = callback;
        _state = state;
        _context = context;
    }

    /// <summary>The same argument rules as the system timers, so code that works here works there.</summary>
    public static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A due time must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A period must be zero or more, or Timeout.InfiniteTimeSpan.");
        }
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        return _owner.Change(this, dueTime, period);
    }

    public void Dispose() => _owner.Cancel(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the callback on the calling thread, in the creator's execution context if it flowed one.</summary>
    public override void Fire()
    {
        if (_context is null)
        {
            _callback(_state);
        }
        else
        {
            ExecutionContext.Run(_context, static s => ((VirtualTimer)s!).InvokeCallback(), this);
        }
    }

    private void InvokeCallback() => _callback(_state);
}
