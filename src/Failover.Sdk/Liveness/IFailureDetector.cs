namespace Failover.Sdk.Liveness;

/// <summary>
/// Failure detection for one (peer, path) (FS-15, BY-4): fed monotonic timestamps
/// (<see cref="TimeProvider.GetTimestamp"/>) on each heartbeat and asked about suspicion at
/// a timestamp. It owns no timer: <see cref="Deadline"/> tells its owner when to look again,
/// so the simulator can drive it in virtual time. Updates and queries allocate nothing.
/// Not thread-safe: its owner serialises access.
/// </summary>
internal interface IFailureDetector
{
    /// <summary>The newest heartbeat (or the start, before the first).</summary>
    long LastHeard { get; }

    /// <summary>
    /// Without another heartbeat, <see cref="IsSuspected"/> holds at every timestamp after this
    /// one; <see cref="long.MinValue"/> while suspected whatever the time (still rising, EX-2).
    /// </summary>
    long Deadline { get; }

    /// <summary>Records a heartbeat; equal or older timestamps (frames handed over out of order) are ignored.</summary>
    void Heartbeat(long now);

    /// <summary>Whether the path is suspected at <paramref name="now"/>.</summary>
    bool IsSuspected(long now);
}
