using Failover.Sdk.Liveness;
using Failover.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Failover.Sdk.Tests.Agent;

/// <summary>Agents with two paths each, over an in-memory network whose carrier can cut one NIC, in virtual time.</summary>
public sealed class FailoverAgentPathTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private const int Missed = 3;

    private readonly PathCutCarrier _carrier = new();
    private readonly InMemoryCluster _cluster;

    public FailoverAgentPathTests()
    {
        _cluster = new InMemoryCluster(Interval, Missed, _carrier.Network, paths: [1, 2]);
    }

    private async Task StartPairAsync()
    {
        await _cluster.StartAsync(1, incarnation: 1, peers: [2]);
        await _cluster.StartAsync(2, incarnation: 1, peers: [1]);
        await Eventually.TrueAsync(() => _cluster.PathChanges(1, 2).Count(c => c.Current == PathState.Up) == 2, "node 1 hears node 2 on both paths");
        for (int i = 0; i < 3; i++)
        {
            await _cluster.TickAsync(listener: 1, expectedFrames: 2);
        }
    }

    /// <summary>What <paramref name="observer"/> reported about <paramref name="peer"/>, as short tags in order.</summary>
    private string[] Story(uint observer, uint peer) =>
        [.. _cluster.Timeline.Where(e => e.Observer == observer).Select(e => e.Change switch
        {
            PathStatusChangedEventArgs p when p.NodeId == peer => $"path {p.PathId} {p.Current}",
            PeerStatusChangedEventArgs p when p.NodeId == peer => $"peer {p.Current}",
            _ => null,
        }).OfType<string>()];

    [Fact]
    public async Task A_cut_NIC_is_reported_as_a_suspected_path_while_the_peer_stays_up_on_the_other_and_the_path_comes_back_when_mended()
    {
        await StartPairAsync();
        using var transitions = new MetricCollector<long>(_cluster.Host(1).Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Failover.Sdk", "failover.path.transitions");

        // Node 2's first NIC fails right after its last heartbeat on it.
        _carrier.Cut(2, pathId: 1);
        for (int i = 0; i < Missed; i++)
        {
            await _cluster.TickAsync(listener: 1, expectedFrames: 1);
        }

        await VirtualTime.AdvanceUntilAsync(_cluster.Time, TimeSpan.FromMilliseconds(1), 100, () => _cluster.PathChanges(1, 2).Any(c => c.Current == PathState.Suspected), "node 1 suspects path 1 to node 2");

        PathStatusChangedEventArgs suspected = Assert.Single(_cluster.PathChanges(1, 2), c => c.Current == PathState.Suspected);
        Assert.Equal((2u, (ushort)1, PathState.Up, 1u), (suspected.NodeId, suspected.PathId, suspected.Previous, suspected.Incarnation));
        Assert.InRange(suspected.Silence, Interval * Missed + TimeSpan.FromTicks(1), Interval * (Missed + 1));

        // The peer itself never moved, and the snapshot tells the paths apart.
        Assert.Equal(["path 1 Up", "peer Up", "path 2 Up", "path 1 Suspected"], Story(1, 2));
        PeerStatus status = Assert.Single(_cluster.Agent(1).GetPeers());
        Assert.Equal(PeerState.Up, status.State);
        Assert.Equal([(1, PathState.Suspected), (2, PathState.Up)], status.Paths.Select(p => ((int)p.PathId, p.State)));
        Assert.True(status.Paths[0].Silence > Interval * Missed, $"path 1 silent for {status.Paths[0].Silence}");
        Assert.True(status.Paths[1].Silence < Interval, $"path 2 silent for {status.Paths[1].Silence}");

        // The cut goes both ways: node 2 no longer hears node 1 on path 1 either.
        await VirtualTime.AdvanceUntilAsync(_cluster.Time, TimeSpan.FromMilliseconds(1), 100, () => _cluster.PathChanges(2, 1).Any(c => c.PathId == 1 && c.Current == PathState.Suspected), "node 2 suspects path 1 to node 1");

        Assert.Contains(transitions.GetMeasurementSnapshot(), m => Equals(m.Tags["failover.path"], "1") && Equals(m.Tags["failover.path.state"], "suspected"));
        FakeLogRecord logged = Assert.Single(_cluster.Logs(1).GetSnapshot(), r => r.Id.Id == 2009);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("Path 1 to peer 2", logged.Message, StringComparison.Ordinal);

        _carrier.Mend(2, pathId: 1);
        await _cluster.TickAsync(listener: 1, expectedFrames: 2);
        await Eventually.TrueAsync(() => _cluster.PathChanges(1, 2).Length == 4, "node 1 hears node 2 on path 1 again");

        PathStatusChangedEventArgs back = _cluster.PathChanges(1, 2)[^1];
        Assert.Equal(((ushort)1, PathState.Suspected, PathState.Up), (back.PathId, back.Previous, back.Current));
        Assert.DoesNotContain(_cluster.Changes, c => c.Change.Current == PeerState.Down);
        Assert.Contains(_cluster.Logs(1).GetSnapshot(), r => r.Id.Id == 2010 && r.Level == LogLevel.Information);
        Assert.All(_cluster.Agent(1).GetPeers()[0].Paths, p => Assert.Equal(PathState.Up, p.State));
    }

    [Fact]
    public async Task When_both_NICs_fail_each_path_is_suspected_before_the_peer_is_down_and_a_path_comes_up_before_the_peer()
    {
        await StartPairAsync();

        _cluster.Network.Isolate(2);
        await VirtualTime.AdvanceUntilAsync(_cluster.Time, TimeSpan.FromMilliseconds(10), 100, () => _cluster.Changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Down), "node 1 reports node 2 down");

        Assert.Equal(["path 1 Up", "peer Up", "path 2 Up", "path 1 Suspected", "path 2 Suspected", "peer Down"], Story(1, 2));
        PeerStatusChangedEventArgs down = _cluster.Changes.Single(c => c.Observer == 1 && c.Change.Current == PeerState.Down).Change;
        Assert.All(_cluster.PathChanges(1, 2).Where(c => c.Current == PathState.Suspected), c => Assert.True(c.Silence <= down.Silence, $"path {c.PathId} suspected after {c.Silence}, the peer down after {down.Silence}"));

        _cluster.Network.Reconnect(2);
        await _cluster.TickAsync(listener: 1, expectedFrames: 2);
        await Eventually.TrueAsync(() => Story(1, 2).Length == 9, "node 1 hears node 2 again on both paths");

        // The first path heard brings the peer up; the other follows in the same tick.
        Assert.Equal(["path 1 Up", "peer Up", "path 2 Up"], Story(1, 2)[6..]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cluster.StopAllAsync();
}
