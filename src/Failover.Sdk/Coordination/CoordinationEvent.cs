namespace Failover.Sdk.Coordination;

/// <summary>One change seen by <see cref="ICoordinationStore.WatchAsync"/>.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Revision">The store revision of the change.</param>
/// <param name="WorkloadId">For owner changes, the workload; otherwise null.</param>
/// <param name="Owner">For <see cref="CoordinationEventKind.OwnerSet"/> the new ownership; for <see cref="CoordinationEventKind.OwnerRemoved"/> the one removed when the store knows it.</param>
/// <param name="Member">For member changes, the member (for <see cref="CoordinationEventKind.MemberLeft"/>, as it was, when the store knows it).</param>
/// <param name="NodeId">For member changes, the node; otherwise 0.</param>
public sealed record CoordinationEvent(
    CoordinationEventKind Kind,
    long Revision,
    string? WorkloadId = null,
    OwnershipRecord? Owner = null,
    ClusterMember? Member = null,
    uint NodeId = 0);
