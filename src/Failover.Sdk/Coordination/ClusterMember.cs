namespace Failover.Sdk.Coordination;

/// <summary>An agent that is alive in the cluster, for as long as its lease lives.</summary>
/// <param name="NodeId">The agent's node.</param>
/// <param name="Incarnation">The agent's incarnation: larger after every restart.</param>
/// <param name="LeaseId">The lease that keeps the entry.</param>
public sealed record ClusterMember(uint NodeId, uint Incarnation, long LeaseId);
