namespace Failover.Sdk.Simulation.Nodes;

/// <summary>
/// A timer on a <see cref="NodeClock"/>: a virtual-time timer underneath, due times scaled
/// by the node's drift, held while the node is frozen, dead once its process dies.
/// </summary>
internal sealed class NodeTimer : ITimer
{
    private readonly NodeClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly int _generation;
    private readonly ITimer _inner;
    private TimeSpan _localPeriod = Timeout.InfiniteTimeSpan;
    private long _nextDueTrue = long.MaxValue;
    private bool _held;
    private bool _disposed;

    public NodeTimer(NodeClock clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
        _generation = clock.Generation;
        Order = clock.NextOrder();
        _inner = clock.Time.CreateTimer(static s => ((NodeTimer)s!).OnFire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Creation order, so that rescaling visits timers the same way every run.</summary>
    public long Order { get; }

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
        return _inner.Change(due, _clock.ToTrue(_localPeriod));
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
        _inner.Change(due, _clock.ToTrue(_localPeriod));
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _inner.Dispose();
            _clock.Forget(this);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Fires a firing that came due while the node was frozen.</summary>
    public void FireHeld()
    {
        _held = false;
        if (!_disposed && _generation == _clock.Generation)
        {
            _callback(_state);
        }
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
