namespace Failover.Sdk.Liveness;

/// <summary>One path to a peer changed state: its detector began to suspect it, or trusts it again.</summary>
public sealed class PathStatusChangedEventArgs : EventArgs
{
    internal PathStatusChangedEventArgs(uint nodeId, ushort pathId, PathState previous, PathState current, uint incarnation, TimeSpan silence)
    {
        NodeId = nodeId;
        PathId = pathId;
        Previous = previous;
        Current = current;
        Incarnation = incarnation;
        Silence = silence;
    }

    /// <summary>The peer's node id.</summary>
    public uint NodeId { get; }

    /// <summary>The id of this node's path the peer is reached on.</summary>
    public ushort PathId { get; }

    /// <summary>The path's state before the change.</summary>
    public PathState Previous { get; }

    /// <summary>The path's state now.</summary>
    public PathState Current { get; }

    /// <summary>The peer's incarnation now (0 if never heard on any path).</summary>
    public uint Incarnation { get; }

    /// <summary>For a change to <see cref="PathState.Suspected"/>: the silence on this path that caused it.</summary>
    public TimeSpan Silence { get; }
}
