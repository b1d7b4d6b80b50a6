using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

public class PeerLivenessRiseTests
{
    private const long Timeout = 300;

    private readonly Queue<LivenessChange> _changes = new();

    private static FailureDetectorSettings Rise(int rise) => TestDetectorSettings.Fixed(Timeout) with { RiseCount = rise };

    [Fact]
    public void A_down_peer_comes_up_only_after_rise_heartbeats()
    {
        var peer = new PeerLiveness(2, [1], Rise(3), start: 0);
        peer.OnHeartbeat(1, 5, 100, _changes);
        Assert.True(peer.Evaluate(500, _changes));
        _changes.Clear();

        Assert.False(peer.OnHeartbeat(1, 5, 1_000, _changes));
        Assert.False(peer.OnHeartbeat(1, 5, 1_100, _changes));
        Assert.Equal(PeerState.Down, peer.State);

        Assert.True(peer.OnHeartbeat(1, 5, 1_200, _changes));
        PeerTransition up = Assert.Single(_changes.Peers());
        Assert.Equal((PeerState.Down, PeerState.Up), (up.Previous, up.Current));
        Assert.Equal(1_200 + Timeout, peer.NextDeadline);
    }

    [Fact]
    public void NextDeadline_is_the_past_when_every_path_is_suspected_while_still_up()
    {
        var peer = new PeerLiveness(2, [1], Rise(2), start: 0);
        peer.OnHeartbeat(1, 5, 100, _changes);

        // Late, and nobody evaluated during the silence: the peer is still up but its only path is rising.
        peer.OnHeartbeat(1, 5, 1_000, _changes);

        Assert.Equal(PeerState.Up, peer.State);
        Assert.Equal(long.MinValue, peer.NextDeadline);
        Assert.True(peer.Evaluate(1_000, _changes));
    }
}
