namespace Failover.Sdk.Liveness;

/// <summary>A change of one path to a peer, produced under the agent's lock and raised after it.</summary>
internal readonly record struct PathTransition(
    uint NodeId,
    ushort PathId,
    PathState Previous,
    PathState Current,
    uint Incarnation,
    long SilenceTicks);
