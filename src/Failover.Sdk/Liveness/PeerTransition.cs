namespace Failover.Sdk.Liveness;

/// <summary>A change worth reporting, produced under the agent's lock and raised after it.</summary>
internal readonly record struct PeerTransition(
    uint NodeId,
    PeerState Previous,
    PeerState Current,
    uint Incarnation,
    uint PreviousIncarnation,
    long SilenceTicks);
