namespace Failover.Sdk.Coordination;

/// <summary>
/// What the agents of a cluster agree on to stay split-brain safe (BY-1): leases with a
/// time to live, which node owns each workload under which lease, the fencing token of each
/// ownership change, cluster membership, and a watch over all of it.
/// </summary>
/// <remarks>
/// <para>
/// Every change to an owner or a member advances the store's <em>revision</em>, a number
/// that only grows. An ownership's <see cref="OwnershipRecord.FencingToken"/> is the revision
/// that wrote it, so a later owner always holds a larger token than every earlier one.
/// </para>
/// <para>
/// Owner and member entries are attached to a lease and vanish when it expires or is
/// revoked; that is the only way an owner that stopped answering loses a workload, so a new
/// owner can only start after the old lease is gone.
/// </para>
/// <para>
/// Implementations: <see cref="InMemoryCoordinationStore"/> (one process; the default of
/// <c>AddFailover()</c>) and the etcd store of the <c>Failover.Sdk.Etcd</c> package. A store
/// that cannot be reached throws <see cref="CoordinationUnavailableException"/>.
/// </para>
/// </remarks>
public interface ICoordinationStore
{
    /// <summary>
    /// Grants a lease that lives <paramref name="timeToLive"/> unless kept alive. The store
    /// may grant a longer one (etcd rounds up to whole seconds and to its minimum);
    /// <see cref="CoordinationLease.TimeToLive"/> is what it granted.
    /// </summary>
    ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renews the lease for another full time to live, counted from when the store receives
    /// the request. Returns false when the lease no longer exists (expired or revoked).
    /// </summary>
    ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Ends the lease now, removing every entry attached to it. Revoking an unknown lease does nothing.</summary>
    ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Reads the owner of <paramref name="workloadId"/>, if any, and the store's revision at the read.</summary>
    ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes <paramref name="nodeId"/> the owner of <paramref name="workloadId"/> under
    /// <paramref name="leaseId"/> if it has no owner (create if absent). On failure the claim
    /// names the current owner.
    /// </summary>
    /// <exception cref="LeaseExpiredException">The lease does not exist (any more).</exception>
    ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands the workload to <paramref name="nodeId"/> under <paramref name="leaseId"/> if its
    /// current ownership is still <paramref name="expected"/> (compare and set on the fencing
    /// token). The new ownership gets a new, larger token.
    /// </summary>
    /// <remarks>
    /// The store cannot stop the old owner: for a planned move, have it stop its workload (and
    /// end its term) first, or it runs on until its watch sees the change. Its token is older
    /// either way, so fenced resources already refuse it.
    /// </remarks>
    /// <exception cref="LeaseExpiredException">The new lease does not exist (any more).</exception>
    ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Removes the ownership if it is still <paramref name="ownership"/> (same fencing token). Returns whether it did.</summary>
    ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="member"/> as alive for as long as its lease lives, replacing an earlier entry of the same node.</summary>
    /// <exception cref="LeaseExpiredException">The member's lease does not exist (any more).</exception>
    ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default);

    /// <summary>Reads the members, ordered by node id, and the store's revision at the read.</summary>
    ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every owner and member change with a revision above <paramref name="afterRevision"/>,
    /// in revision order, until <paramref name="cancellationToken"/> fires. Pass the revision
    /// of a read to miss nothing that happened after it.
    /// </summary>
    /// <exception cref="CoordinationHistoryCompactedException">
    /// Changes after <paramref name="afterRevision"/> are no longer kept: read again, then
    /// watch from the new read's revision.
    /// </exception>
    IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default);
}
