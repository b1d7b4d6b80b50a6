namespace Failover.Sdk.Coordination;

/// <summary>
/// A span of time during which this node owns a workload: from a successful acquisition until
/// its lease is lost (by this node's own clock, with the safety margin), the ownership is
/// moved or released, or the agent stops. Send <see cref="FencingToken"/> with every start
/// and command, and stop when <see cref="Ended"/> fires.
/// </summary>
public sealed class OwnershipTerm
{
    private readonly LeaseSession _session;

    internal OwnershipTerm(OwnershipRecord ownership, LeaseSession session, CancellationToken ended)
    {
        Ownership = ownership;
        _session = session;
        Ended = ended;
    }

    /// <summary>The ownership as the store recorded it.</summary>
    public OwnershipRecord Ownership { get; }

    /// <summary>The workload owned.</summary>
    public string WorkloadId => Ownership.WorkloadId;

    /// <summary>The fencing token of this ownership: larger than that of every earlier owner.</summary>
    public long FencingToken => Ownership.FencingToken;

    /// <summary>
    /// Fires when the term ends; the workload must stop within the lease safety margin. Its
    /// handlers run inline on the thread that ended the term (a timer, the store's publisher):
    /// signal the workload to stop, don't block in them.
    /// </summary>
    public CancellationToken Ended { get; }

    /// <summary>
    /// Whether the term still holds by this node's clock: check it right before an act that
    /// only the owner may do. Unlike <see cref="Ended"/>, it needs no timer to have fired, so
    /// it is right even in the first instant after a process wakes from a long pause.
    /// </summary>
    public bool IsValid => !Ended.IsCancellationRequested && _session.IsValid;
}
