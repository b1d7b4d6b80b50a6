using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

public class PeerLivenessTests
{
    private const long Timeout = 300; // k x interval, in timestamp ticks

    private static readonly FailureDetectorSettings Fixed = TestDetectorSettings.Fixed(Timeout);

    private readonly Queue<LivenessChange> _changes = new();

    [Fact]
    public void A_fresh_peer_is_unknown_then_up_on_its_first_heartbeat()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        Assert.Equal(PeerState.Unknown, peer.State);

        Assert.True(peer.OnHeartbeat(1, incarnation: 5, now: 10, _changes));
        PeerTransition up = Assert.Single(_changes.Peers());
        Assert.Equal((PeerState.Unknown, PeerState.Up, 5u), (up.Previous, up.Current, up.Incarnation));
        _changes.Clear();
        Assert.False(peer.OnHeartbeat(1, 5, 20, _changes));
        Assert.Empty(_changes);
    }

    [Fact]
    public void Down_only_after_silence_strictly_longer_than_the_timeout()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        peer.OnHeartbeat(1, 5, 100, _changes);
        _changes.Clear();

        Assert.False(peer.Evaluate(100 + Timeout, _changes));
        Assert.True(peer.Evaluate(100 + Timeout + 1, _changes));
        PeerTransition down = Assert.Single(_changes.Peers());
        Assert.Equal(PeerState.Down, down.Current);
        Assert.Equal(Timeout + 1, down.SilenceTicks);
        _changes.Clear();
        Assert.False(peer.Evaluate(10_000, _changes));
        Assert.Equal(long.MaxValue, peer.NextDeadline);
    }

    [Fact]
    public void A_peer_never_heard_is_down_after_the_timeout_from_start()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 1_000);
        Assert.False(peer.Evaluate(1_000 + Timeout, _changes));
        Assert.True(peer.Evaluate(1_001 + Timeout, _changes));
        Assert.Equal(PeerState.Unknown, Assert.Single(_changes.Peers()).Previous);
    }

    [Fact]
    public void Up_while_any_path_hears_it()
    {
        var peer = new PeerLiveness(2, [1, 2], Fixed, start: 0);
        peer.OnHeartbeat(1, 5, 0, _changes);
        for (long t = 100; t <= 2_000; t += 100)
        {
            peer.OnHeartbeat(2, 5, t, _changes);
            peer.Evaluate(t, _changes);
        }

        Assert.Equal(PeerState.Up, peer.State);
        Assert.Equal(PeerState.Up, Assert.Single(_changes.Peers()).Current);
        Assert.Equal(2_000 + Timeout, peer.NextDeadline);
    }

    [Fact]
    public void A_newer_incarnation_is_a_restart_and_an_older_one_is_ignored()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        peer.OnHeartbeat(1, 5, 0, _changes);
        _changes.Clear();

        Assert.True(peer.OnHeartbeat(1, 6, 50, _changes));
        PeerTransition restart = Assert.Single(_changes.Peers());
        Assert.Equal((PeerState.Up, PeerState.Up, 5u, 6u), (restart.Previous, restart.Current, restart.PreviousIncarnation, restart.Incarnation));

        Assert.False(peer.OnHeartbeat(1, 5, 60, _changes));
        Assert.Equal(6u, peer.Incarnation);
    }

    [Fact]
    public void Heartbeats_on_unconfigured_paths_do_not_count()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        Assert.False(peer.OnHeartbeat(9, 5, 10, _changes));
        Assert.Equal(PeerState.Unknown, peer.State);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Back_up_after_down()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        peer.OnHeartbeat(1, 5, 0, _changes);
        peer.Evaluate(Timeout + 1, _changes);
        _changes.Clear();
        Assert.True(peer.OnHeartbeat(1, 5, 500, _changes));
        PeerTransition up = Assert.Single(_changes.Peers());
        Assert.Equal((PeerState.Down, PeerState.Up), (up.Previous, up.Current));
    }

    [Fact]
    public void An_unauthenticated_frame_cannot_move_an_authenticated_incarnation()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        peer.OnHeartbeat(1, incarnation: 5, now: 0, _changes, authenticated: true);

        Assert.False(peer.OnHeartbeat(1, uint.MaxValue, 10, _changes, authenticated: false));
        Assert.Equal(5u, peer.Incarnation);
        Assert.False(peer.OnHeartbeat(1, 5, 20, _changes, authenticated: false));
    }

    [Fact]
    public void An_authenticated_frame_overrides_an_incarnation_claimed_without_authentication()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);

        // A forger speaks first, during a key rollout, claiming the largest incarnation...
        peer.OnHeartbeat(1, uint.MaxValue, 0, _changes, authenticated: false);

        // ...and the genuine, authenticated peer still gets through and owns the incarnation.
        peer.OnHeartbeat(1, 7, 10, _changes, authenticated: true);
        Assert.Equal(7u, peer.Incarnation);
        Assert.False(peer.OnHeartbeat(1, uint.MaxValue, 20, _changes, authenticated: false));
        Assert.Equal(7u, peer.Incarnation);
    }

    [Fact]
    public void Unauthenticated_frames_of_the_same_life_do_not_reopen_the_incarnation_to_forgery()
    {
        var peer = new PeerLiveness(2, [1], Fixed, start: 0);
        peer.OnHeartbeat(1, incarnation: 5, now: 0, _changes, authenticated: true);
        peer.OnHeartbeat(1, incarnation: 5, now: 10, _changes, authenticated: false);

        Assert.False(peer.OnHeartbeat(1, uint.MaxValue, 20, _changes, authenticated: false));
        Assert.Equal(5u, peer.Incarnation);
    }
}
