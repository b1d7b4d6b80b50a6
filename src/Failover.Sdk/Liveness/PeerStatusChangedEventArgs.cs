namespace Failover.Sdk.Liveness;

/// <summary>A peer changed state, or came back as a new incarnation.</summary>
public sealed class PeerStatusChangedEventArgs : EventArgs
{
    internal PeerStatusChangedEventArgs(uint nodeId, PeerState previous, PeerState current, uint incarnation, uint previousIncarnation, TimeSpan silence)
    {
        NodeId = nodeId;
        Previous = previous;
        Current = current;
        Incarnation = incarnation;
        PreviousIncarnation = previousIncarnation;
        Silence = silence;
    }

    /// <summary>The peer's node id.</summary>
    public uint NodeId { get; }

    /// <summary>The state before the change.</summary>
    public PeerState Previous { get; }

    /// <summary>The state now.</summary>
    public PeerState Current { get; }

    /// <summary>The peer's incarnation now (0 if never heard).</summary>
    public uint Incarnation { get; }

    /// <summary>The incarnation heard before (0 if never heard).</summary>
    public uint PreviousIncarnation { get; }

    /// <summary>
    /// Whether the peer restarted: it is up with a newer incarnation than it had. A restart
    /// faster than the detector raises this without a <see cref="PeerState.Down"/> first.
    /// </summary>
    public bool IsRestart => Current == PeerState.Up && PreviousIncarnation != 0 && Incarnation > PreviousIncarnation;

    /// <summary>For a change to <see cref="PeerState.Down"/>: the silence that caused it.</summary>
    public TimeSpan Silence { get; }
}
