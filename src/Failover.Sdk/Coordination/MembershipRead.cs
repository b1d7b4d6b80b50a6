namespace Failover.Sdk.Coordination;

/// <summary>The cluster's members as read, and the store's revision at the read.</summary>
/// <param name="Members">The members, ordered by node id.</param>
/// <param name="Revision">The store's revision at the read: watch from here to miss no later change.</param>
public sealed record MembershipRead(IReadOnlyList<ClusterMember> Members, long Revision);
