namespace Failover.Sdk.Liveness;

/// <summary>
/// The classic "k missed heartbeats" detector (FS-15): suspect once the silence since the
/// last heartbeat exceeds k intervals. A pure state machine fed monotonic timestamps
/// (<see cref="TimeProvider.GetTimestamp"/>); it owns no timer, so the simulator can drive
/// it in virtual time. Not thread-safe: its owner serialises access.
/// </summary>
internal struct FixedIntervalDetector
{
    private readonly long _timeout;
    private long _lastHeard;

    /// <param name="timeout">k × interval, in timestamp ticks.</param>
    /// <param name="start">The timestamp silence is counted from until the first heartbeat.</param>
    public FixedIntervalDetector(long timeout, long start)
    {
        _timeout = timeout;
        _lastHeard = start;
    }

    public readonly long LastHeard => _lastHeard;

    /// <summary>The timestamp at which, without another heartbeat, suspicion begins.</summary>
    public readonly long Deadline => _lastHeard + _timeout;

    public void Heartbeat(long now)
    {
        // Frames from several receive loops may be handed over slightly out of order.
        if (now > _lastHeard)
        {
            _lastHeard = now;
        }
    }

    public readonly bool IsSuspected(long now) => now - _lastHeard > _timeout;
}
