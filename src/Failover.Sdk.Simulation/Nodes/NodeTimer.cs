using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Nodes;

/// <summary>
/// A timer on a <see cref="NodeClock"/>: a virtual-time event, due times scaled by the
/// node's drift, held while the node is frozen, dead once its process dies.
/// </summary>
/// <remarks>
/// It is its own virtual-time event rather than the wrapper of a <see cref="VirtualTimer"/>:
/// every agent's <c>Task.Delay</c> makes one, and the second object per delay was about a
/// tenth of a large run's allocations. It keeps that timer's behaviour: its place in ties
/// is taken when it is created, and it flows its creator's <see cref="ExecutionContext"/>
/// the same way.
/// </remarks>
internal sealed class NodeTimer : VirtualEvent, ITimer
{
    private readonly NodeClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly int _generation;
    private readonly ExecutionContext? _context;
    private TimeSpan _localPeriod = Timeout.InfiniteTimeSpan;
    private long _nextDueTrue = long.MaxValue;
    private bool _held;
    private bool _disposed;

    // Whether a firing is queued in virtual time. A Task.Delay's timer is disposed just
    // after it fires, when nothing is queued: then there is nothing to cancel, and no lock
    // to take for it.
    private bool _pending;

    public NodeTimer(NodeClock clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
        _generation = clock.Generation;
        Order = clock.NextOrder();

        // As VirtualTimeProvider.CreateTimer does for its timers (Task.Delay suppresses the flow).
        _context = ExecutionContext.Capture();
        clock.Time.Register(this);
    }

    /// <summary>Creation order, so that rescaling visits timers the same way every run.</summary>
    public long Order { get; }

    /// <summary>Where this timer is in its clock's list of live timers; -1 when not live.</summary>
    internal int LiveIndex { get; set; } = -1;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        _localPeriod = period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period;
        TimeSpan due = _clock.ToTrue(dueTime);
        _nextDueTrue = due == Timeout.InfiniteTimeSpan ? long.MaxValue : _clock.Time.GetTimestamp() + due.Ticks;
        _clock.Remember(this);
        return Reschedule(due, _clock.ToTrue(_localPeriod));
    }

    /// <summary>Keeps the local time left to the next firing across a change of rate.</summary>
    public void Rescale(double previousRate)
    {
        if (_disposed || _nextDueTrue == long.MaxValue)
        {
            return;
        }

        long now = _clock.Time.GetTimestamp();
        var localLeft = TimeSpan.FromTicks((long)(Math.Max(0, _nextDueTrue - now) * previousRate));
        TimeSpan due = _clock.ToTrue(localLeft);
        _nextDueTrue = now + due.Ticks;
        Reschedule(due, _clock.ToTrue(_localPeriod));
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_pending)
            {
                _pending = false;
                _clock.Time.Cancel(this);
            }

            _clock.Forget(this);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Fires a firing that came due while the node was frozen, in the creator's context as any firing.</summary>
    public void FireHeld()
    {
        _held = false;
        if (_disposed || _generation != _clock.Generation)
        {
            return;
        }

        if (_context is null)
        {
            _callback(_state);
        }
        else
        {
            ExecutionContext.Run(_context, static s => ((NodeTimer)s!).InvokeCallback(), this);
        }
    }

    private void InvokeCallback() => _callback(_state);

    /// <summary>Runs on the simulator's thread when virtual time reaches the due instant.</summary>
    public override void Fire()
    {
        // Virtual time has taken a one-shot firing off its queue, and requeued a periodic one.
        _pending = PeriodTicks > 0;
        if (_context is null)
        {
            OnFire();
        }
        else
        {
            ExecutionContext.Run(_context, static s => ((NodeTimer)s!).OnFire(), this);
        }
    }

    /// <summary>Schedules the underlying event in true time, with the argument checks of the system timers.</summary>
    private bool Reschedule(TimeSpan due, TimeSpan period)
    {
        VirtualTimer.Validate(due, period);
        _pending = due != Timeout.InfiniteTimeSpan;
        return _clock.Time.Change(this, due, period);
    }

    private void OnFire()
    {
        if (_disposed || _generation != _clock.Generation)
        {
            return;
        }

        TimeSpan period = _clock.ToTrue(_localPeriod);
        if (period == Timeout.InfiniteTimeSpan)
        {
            // A one-shot timer is done until changed again: forget it, or every Task.Delay would stay live.
            _nextDueTrue = long.MaxValue;
            _clock.Forget(this);
        }
        else
        {
            _nextDueTrue = _clock.Time.GetTimestamp() + period.Ticks;
        }

        if (_clock.IsFrozen)
        {
            if (!_held)
            {
                _held = true;
                _clock.Hold(this);
            }

            return;
        }

        _callback(_state);
    }
}
