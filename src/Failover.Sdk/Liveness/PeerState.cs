namespace Failover.Sdk.Liveness;

/// <summary>What an agent believes about a peer.</summary>
public enum PeerState
{
    /// <summary>Not heard from yet, and not silent for long enough to suspect.</summary>
    Unknown,

    /// <summary>Heartbeats arrive on at least one path.</summary>
    Up,

    /// <summary>Silent on every path for longer than the detector allows.</summary>
    Down,
}
