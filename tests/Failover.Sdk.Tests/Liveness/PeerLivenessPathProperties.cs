using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Liveness;

/// <summary>Random heartbeats and wake-ups over three paths, read back as a subscriber reads the changes.</summary>
public class PeerLivenessPathProperties
{
    private const long Interval = 100;
    private static readonly ushort[] PathIds = [1, 2, 3];

    [Property(MaxTest = 500)]
    public void A_subscriber_replaying_the_changes_holds_the_same_states_and_never_sees_a_peer_change_its_paths_contradict(bool phi, byte rise, ushort[] steps)
    {
        var settings = new FailureDetectorSettings(
            phi ? FailoverDetectorKind.PhiAccrual : FailoverDetectorKind.Fixed,
            Interval,
            Timeout: 3 * Interval,
            PhiThreshold: 8,
            PhiMinStdDeviation: Interval / 10,
            AcceptableHeartbeatPause: 0,
            RiseCount: 1 + (rise % 3));
        var peer = new PeerLiveness(3, PathIds, settings, start: 0);
        var changes = new Queue<LivenessChange>();
        var paths = new Dictionary<ushort, PathState> { [1] = PathState.Unknown, [2] = PathState.Unknown, [3] = PathState.Unknown };
        PeerState state = PeerState.Unknown;
        long now = 0;
        foreach (ushort step in steps)
        {
            // Two fifths wake-ups, one of them after a silence long enough to suspect every
            // path; the rest heartbeats on one path, on time or early.
            int kind = step % 5;
            now += kind == 0 ? 5 * Interval : step / 5 % 4 * (Interval / 2);
            if (kind < 2)
            {
                peer.Evaluate(now, changes);
            }
            else
            {
                peer.OnHeartbeat(PathIds[kind - 2], 1, now, changes);
            }

            while (changes.TryDequeue(out LivenessChange change))
            {
                if (change.IsPath)
                {
                    Assert.Equal(paths[change.Path.PathId], change.Path.Previous);
                    Assert.NotEqual(change.Path.Previous, change.Path.Current);
                    paths[change.Path.PathId] = change.Path.Current;
                    continue;
                }

                Assert.Equal(state, change.Peer.Previous);
                state = change.Peer.Current;
                if (state == PeerState.Down)
                {
                    Assert.All(paths.Values, p => Assert.Equal(PathState.Suspected, p));
                }
                else if (change.Peer.Previous != PeerState.Up)
                {
                    Assert.Contains(PathState.Up, paths.Values);
                }
            }

            Assert.Equal(peer.State, state);
            for (int i = 0; i < PathIds.Length; i++)
            {
                Assert.Equal(peer.PathStateAt(i), paths[peer.Paths[i]]);
            }

            // Down exactly when a wake-up found every path suspected; no wake-up is owed then.
            if (kind < 2)
            {
                Assert.Equal(state == PeerState.Down, paths.Values.All(p => p == PathState.Suspected));
            }

            if (state == PeerState.Down)
            {
                Assert.Equal(long.MaxValue, peer.NextDeadline);
            }
        }
    }
}
