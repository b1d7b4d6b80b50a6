namespace Failover.Sdk.Liveness;

/// <summary>What an agent believes about one path to a peer.</summary>
/// <remarks>
/// Not <see cref="PeerState"/>: a suspected path is not a down peer. The peer stays
/// <see cref="PeerState.Up"/> while any other path hears it, so a NIC that failed shows up
/// here first, and often only here.
/// </remarks>
public enum PathState
{
    /// <summary>Not heard from on this path yet, and not silent on it for long enough to suspect.</summary>
    Unknown,

    /// <summary>Heartbeats arrive on this path and its detector trusts it.</summary>
    Up,

    /// <summary>The path's detector suspects it: silent for longer than it allows, or heard again but not yet often enough (rise).</summary>
    Suspected,
}
