namespace Failover.Sdk.Liveness;

/// <summary>
/// The classic "k missed heartbeats" detector (FS-15): suspect once the silence since the
/// last heartbeat exceeds k intervals (the fall), and, after that, trust again only after
/// <c>rise</c> consecutive heartbeats (EX-2, <see cref="RiseGate"/>).
/// </summary>
internal sealed class FixedIntervalDetector : IFailureDetector
{
    private readonly long _timeout;
    private long _lastHeard;
    private RiseGate _rise;

    /// <param name="timeout">k × interval, in timestamp ticks.</param>
    /// <param name="start">The timestamp silence is counted from until the first heartbeat.</param>
    /// <param name="rise">Consecutive heartbeats that make a suspected path trusted again; 1 trusts at once.</param>
    public FixedIntervalDetector(long timeout, long start, int rise = 1)
    {
        _timeout = Math.Max(0, timeout);
        _lastHeard = start;
        _rise = new RiseGate(rise);
    }

    public long LastHeard => _lastHeard;

    public long Deadline => _rise.IsRising ? long.MinValue : SilenceDeadline;

    // Saturated: a timestamp near long.MaxValue must not wrap the deadline into the past.
    private long SilenceDeadline => _lastHeard > long.MaxValue - _timeout ? long.MaxValue : _lastHeard + _timeout;

    public void Heartbeat(long now)
    {
        // Frames from several receive loops may be handed over slightly out of order.
        if (now > _lastHeard)
        {
            _rise.OnHeartbeat(late: IsSilent(now));
            _lastHeard = now;
        }
    }

    public bool IsSuspected(long now) => _rise.IsRising || IsSilent(now);

    // Compared without subtracting: timestamps far apart would overflow the difference.
    private bool IsSilent(long now) => now > SilenceDeadline;
}
