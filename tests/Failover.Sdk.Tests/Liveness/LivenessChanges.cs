using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

/// <summary>Reads the changes a <see cref="PeerLiveness"/> queued, by kind.</summary>
internal static class LivenessChanges
{
    public static PeerTransition[] Peers(this Queue<LivenessChange> changes) => [.. changes.Where(c => !c.IsPath).Select(c => c.Peer)];

    public static PathTransition[] Paths(this Queue<LivenessChange> changes) => [.. changes.Where(c => c.IsPath).Select(c => c.Path)];

    /// <summary>The state of <paramref name="pathId"/> as <paramref name="peer"/> holds it.</summary>
    public static PathState PathState(this PeerLiveness peer, ushort pathId)
    {
        int index = peer.Paths.IndexOf(pathId);
        Assert.True(index >= 0, $"path {pathId} is not one of the peer's");
        return peer.PathStateAt(index);
    }
}
