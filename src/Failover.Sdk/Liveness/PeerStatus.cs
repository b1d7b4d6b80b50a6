namespace Failover.Sdk.Liveness;

/// <summary>A snapshot of one peer as this agent sees it.</summary>
/// <param name="NodeId">The peer's node id.</param>
/// <param name="State">Up, down or not yet known.</param>
/// <param name="Incarnation">The newest incarnation heard from the peer; 0 before the first heartbeat.</param>
/// <param name="Silence">Time since the last heartbeat on any path (since the agent started, before the first).</param>
public sealed record PeerStatus(uint NodeId, PeerState State, uint Incarnation, TimeSpan Silence);
