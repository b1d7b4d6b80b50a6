namespace Failover.Sdk.Liveness;

/// <summary>A snapshot of one path to a peer as this agent sees it.</summary>
/// <param name="PathId">The id of this node's path the peer is reached on.</param>
/// <param name="State">Up, suspected or not yet known.</param>
/// <param name="Silence">Time since the last heartbeat on this path (since the agent started, before the first).</param>
public sealed record PathStatus(ushort PathId, PathState State, TimeSpan Silence);
