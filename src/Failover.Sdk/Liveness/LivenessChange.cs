namespace Failover.Sdk.Liveness;

/// <summary>
/// A peer or a path transition, queued in the order it was decided: one queue for both, so
/// subscribers see a path's suspicion before the peer's Down it completes, and a path's
/// recovery before (or with) the peer's Up. A struct, so queueing allocates nothing.
/// </summary>
internal readonly struct LivenessChange
{
    public LivenessChange(PeerTransition peer)
    {
        Peer = peer;
    }

    public LivenessChange(PathTransition path)
    {
        Path = path;
        IsPath = true;
    }

    /// <summary>Whether this is <see cref="Path"/>; otherwise it is <see cref="Peer"/>.</summary>
    public bool IsPath { get; }

    public PeerTransition Peer { get; }

    public PathTransition Path { get; }
}
