namespace Failover.Sdk.Liveness;

/// <summary>A snapshot of one peer as this agent sees it.</summary>
/// <param name="NodeId">The peer's node id.</param>
/// <param name="State">Up, down or not yet known.</param>
/// <param name="Incarnation">The newest incarnation heard from the peer; 0 before the first heartbeat.</param>
/// <param name="Silence">Time since the last heartbeat on any path (since the agent started, before the first).</param>
/// <param name="Paths">
/// Each path the peer is reached on, by path id: a peer can be up while one of them is
/// suspected (a failed NIC). A list, so two snapshots compare equal only as the same object.
/// </param>
public sealed record PeerStatus(uint NodeId, PeerState State, uint Incarnation, TimeSpan Silence, IReadOnlyList<PathStatus> Paths);
