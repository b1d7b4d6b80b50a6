using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

/// <summary>Each path to a peer up or suspected on its own (FS-12), in order with the peer's own changes.</summary>
public class PeerLivenessPathTests
{
    private const long Timeout = 300; // k x interval, in timestamp ticks

    private readonly Queue<LivenessChange> _changes = new();

    private static FailureDetectorSettings Rise(int rise) => TestDetectorSettings.Fixed(Timeout) with { RiseCount = rise };

    private static PeerLiveness TwoPaths(int rise = 1) => new(3, [1, 2], Rise(rise), start: 0);

    /// <summary>Both paths heard at <paramref name="at"/>, then the queue emptied.</summary>
    private void HearBoth(PeerLiveness peer, long at)
    {
        peer.OnHeartbeat(1, 5, at, _changes);
        peer.OnHeartbeat(2, 5, at, _changes);
        _changes.Clear();
    }

    [Fact]
    public void The_first_heartbeat_on_a_path_brings_that_path_up_before_the_peer()
    {
        PeerLiveness peer = TwoPaths();

        Assert.True(peer.OnHeartbeat(2, 5, 10, _changes));

        LivenessChange[] changes = [.. _changes];
        Assert.Equal(2, changes.Length);
        Assert.True(changes[0].IsPath);
        Assert.Equal((3u, (ushort)2, PathState.Unknown, PathState.Up, 5u), (changes[0].Path.NodeId, changes[0].Path.PathId, changes[0].Path.Previous, changes[0].Path.Current, changes[0].Path.Incarnation));
        Assert.False(changes[1].IsPath);
        Assert.Equal((PeerState.Unknown, PeerState.Up), (changes[1].Peer.Previous, changes[1].Peer.Current));
        Assert.Equal(PathState.Unknown, peer.PathState(1));

        // The other path's first heartbeat is a path change only: the peer is up already.
        _changes.Clear();
        Assert.True(peer.OnHeartbeat(1, 5, 20, _changes));
        PathTransition other = Assert.Single(_changes.Paths());
        Assert.Equal(((ushort)1, PathState.Unknown, PathState.Up), (other.PathId, other.Previous, other.Current));
        Assert.Empty(_changes.Peers());
    }

    [Fact]
    public void One_silent_path_is_suspected_strictly_after_the_timeout_while_the_peer_stays_up()
    {
        PeerLiveness peer = TwoPaths();
        HearBoth(peer, at: 0);
        for (long t = 100; t <= Timeout; t += 100)
        {
            peer.OnHeartbeat(2, 5, t, _changes);
        }

        // The watch loop wakes for the earliest path deadline, not the peer's latest.
        Assert.Equal(Timeout, peer.NextDeadline);
        Assert.False(peer.Evaluate(Timeout, _changes));

        Assert.True(peer.Evaluate(Timeout + 1, _changes));

        PathTransition suspected = Assert.Single(_changes.Paths());
        Assert.Equal((3u, (ushort)1, PathState.Up, PathState.Suspected, 5u, Timeout + 1), (suspected.NodeId, suspected.PathId, suspected.Previous, suspected.Current, suspected.Incarnation, suspected.SilenceTicks));
        Assert.Empty(_changes.Peers());
        Assert.Equal((PeerState.Up, PathState.Suspected, PathState.Up), (peer.State, peer.PathState(1), peer.PathState(2)));

        // A suspected path has no deadline left: the next one is the path still heard.
        Assert.Equal(Timeout + Timeout, peer.NextDeadline);
        _changes.Clear();
        Assert.False(peer.Evaluate(Timeout + 2, _changes));
    }

    [Fact]
    public void When_every_path_falls_silent_each_is_suspected_then_the_peer_is_down()
    {
        PeerLiveness peer = TwoPaths();
        HearBoth(peer, at: 0);

        Assert.True(peer.Evaluate(Timeout + 1, _changes));

        LivenessChange[] changes = [.. _changes];
        Assert.Equal(3, changes.Length);
        Assert.Equal(((ushort)1, PathState.Suspected), (changes[0].Path.PathId, changes[0].Path.Current));
        Assert.Equal(((ushort)2, PathState.Suspected), (changes[1].Path.PathId, changes[1].Path.Current));
        Assert.True(changes[0].IsPath && changes[1].IsPath && !changes[2].IsPath);
        Assert.Equal((PeerState.Up, PeerState.Down, Timeout + 1), (changes[2].Peer.Previous, changes[2].Peer.Current, changes[2].Peer.SilenceTicks));
        Assert.Equal(long.MaxValue, peer.NextDeadline);
    }

    [Fact]
    public void Paths_falling_silent_at_different_times_are_suspected_one_wake_up_each_and_the_last_brings_the_peer_down()
    {
        PeerLiveness peer = TwoPaths();
        HearBoth(peer, at: 0);
        peer.OnHeartbeat(2, 5, 100, _changes);

        Assert.True(peer.Evaluate(peer.NextDeadline + 1, _changes));
        Assert.Equal([(ushort)1], _changes.Paths().Select(p => p.PathId));
        Assert.Empty(_changes.Peers());
        _changes.Clear();

        Assert.Equal(100 + Timeout, peer.NextDeadline);
        Assert.True(peer.Evaluate(peer.NextDeadline + 1, _changes));
        LivenessChange[] changes = [.. _changes];
        Assert.Equal(2, changes.Length);
        Assert.Equal(((ushort)2, PathState.Up, PathState.Suspected, Timeout + 1), (changes[0].Path.PathId, changes[0].Path.Previous, changes[0].Path.Current, changes[0].Path.SilenceTicks));
        Assert.Equal((PeerState.Up, PeerState.Down), (changes[1].Peer.Previous, changes[1].Peer.Current));
    }

    [Fact]
    public void Recovery_brings_the_path_that_heard_it_up_before_the_peer_and_the_other_path_stays_suspected()
    {
        PeerLiveness peer = TwoPaths();
        HearBoth(peer, at: 0);
        peer.Evaluate(Timeout + 1, _changes);
        _changes.Clear();

        Assert.True(peer.OnHeartbeat(2, 5, 1_000, _changes));

        LivenessChange[] changes = [.. _changes];
        Assert.Equal(2, changes.Length);
        Assert.Equal(((ushort)2, PathState.Suspected, PathState.Up), (changes[0].Path.PathId, changes[0].Path.Previous, changes[0].Path.Current));
        Assert.Equal((PeerState.Down, PeerState.Up), (changes[1].Peer.Previous, changes[1].Peer.Current));
        Assert.Equal(PathState.Suspected, peer.PathState(1));
        Assert.Equal(1_000 + Timeout, peer.NextDeadline);
    }

    [Fact]
    public void A_suspected_path_comes_up_only_after_rise_heartbeats_while_the_peer_stays_up()
    {
        PeerLiveness peer = TwoPaths(rise: 3);
        HearBoth(peer, at: 0);
        for (long t = 100; t <= 1_000; t += 100)
        {
            peer.OnHeartbeat(2, 5, t, _changes);
            peer.Evaluate(t, _changes);
        }

        Assert.Equal(PathState.Suspected, Assert.Single(_changes.Paths()).Current);
        _changes.Clear();

        // Path 1 heard again, twice: still rising, still suspected, and no wake-up due for it.
        for (long t = 1_010; t <= 1_020; t += 10)
        {
            Assert.False(peer.OnHeartbeat(1, 5, t, _changes));
            Assert.Equal(PathState.Suspected, peer.PathState(1));
            Assert.Equal(1_000 + Timeout, peer.NextDeadline);
        }

        Assert.True(peer.OnHeartbeat(1, 5, 1_030, _changes));

        PathTransition up = Assert.Single(_changes.Paths());
        Assert.Equal(((ushort)1, PathState.Suspected, PathState.Up), (up.PathId, up.Previous, up.Current));
        Assert.Empty(_changes.Peers());
    }

    [Fact]
    public void A_late_heartbeat_that_leaves_a_path_rising_makes_the_next_evaluation_due_at_once()
    {
        PeerLiveness peer = TwoPaths(rise: 2);
        HearBoth(peer, at: 0);
        peer.OnHeartbeat(2, 5, 200, _changes);

        // Late on path 1, and no wake-up happened during its silence: it is rising, so suspected.
        Assert.False(peer.OnHeartbeat(1, 5, 400, _changes));
        Assert.Equal(PathState.Up, peer.PathState(1));
        Assert.Equal(long.MinValue, peer.NextDeadline);

        Assert.True(peer.Evaluate(400, _changes));
        Assert.Equal(((ushort)1, PathState.Suspected), (Assert.Single(_changes.Paths()).PathId, peer.PathState(1)));
        Assert.Equal(200 + Timeout, peer.NextDeadline);
    }

    [Fact]
    public void A_path_never_heard_is_suspected_after_the_timeout_from_start()
    {
        var peer = new PeerLiveness(3, [1, 2], Rise(1), start: 1_000);
        for (long t = 1_100; t <= 1_000 + Timeout + 1; t += 100)
        {
            peer.OnHeartbeat(2, 5, t, _changes);
        }

        _changes.Clear();
        Assert.True(peer.Evaluate(1_001 + Timeout, _changes));

        PathTransition suspected = Assert.Single(_changes.Paths());
        Assert.Equal(((ushort)1, PathState.Unknown, PathState.Suspected, Timeout + 1), (suspected.PathId, suspected.Previous, suspected.Current, suspected.SilenceTicks));
        Assert.Equal(PeerState.Up, peer.State);
    }

    [Fact]
    public void A_restart_heard_on_a_path_still_rising_is_reported_and_that_path_stays_suspected()
    {
        PeerLiveness peer = TwoPaths(rise: 2);
        HearBoth(peer, at: 0);
        peer.OnHeartbeat(2, 5, 200, _changes);
        peer.Evaluate(Timeout + 1, _changes);
        _changes.Clear();

        Assert.True(peer.OnHeartbeat(1, incarnation: 6, now: 400, _changes));

        PeerTransition restart = Assert.Single(_changes.Peers());
        Assert.Equal((5u, 6u), (restart.PreviousIncarnation, restart.Incarnation));
        Assert.Empty(_changes.Paths());
        Assert.Equal(PathState.Suspected, peer.PathState(1));
    }
}
