using System.Collections.Concurrent;
using Failover.Sdk.Agent;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Agent;

/// <summary>Agents in one process over the in-memory network, in virtual time.</summary>
public sealed class FailoverAgentTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private const int Missed = 3;

    private readonly InMemoryCluster _cluster = new(Interval, Missed);

    private Task StartAsync(uint node, uint incarnation, params uint[] peers) => _cluster.StartAsync(node, incarnation, peers);

    [Fact]
    public async Task A_stopped_peer_is_reported_down_after_exactly_k_intervals_of_silence_and_up_again_as_a_new_incarnation()
    {
        await StartAsync(1, incarnation: 1, peers: 2);
        await StartAsync(2, incarnation: 1, peers: 1);
        await Eventually.TrueAsync(() => _cluster.Changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Up), "node 1 sees node 2 up");
        for (int i = 0; i < 3; i++)
        {
            await _cluster.TickAsync(listener: 1, expectedFrames: 1);
        }

        Assert.Equal(PeerState.Up, Assert.Single(_cluster.Agent(1).GetPeers()).State);

        // Node 2 stops right after its last heartbeat; silence is counted from that heartbeat.
        await _cluster.Host(2).StopAsync();
        _cluster.Time.Advance(Interval * Missed);
        await VirtualTime.AdvanceUntilAsync(_cluster.Time, TimeSpan.FromMilliseconds(1), 100, () => _cluster.Changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Down), "node 1 reports node 2 down");

        PeerStatusChangedEventArgs down = _cluster.Changes.Single(c => c.Observer == 1 && c.Change.Current == PeerState.Down).Change;
        Assert.Equal(2u, down.NodeId);
        // Never before k intervals of silence. Above it only by the test's own 1 ms steps,
        // which a starved thread pool can stretch: bounded by one more interval.
        Assert.InRange(down.Silence, Interval * Missed + TimeSpan.FromTicks(1), Interval * (Missed + 1));
        Assert.Equal(PeerState.Down, _cluster.Agent(1).GetPeers()[0].State);
        await StartAsync(2, incarnation: 2, peers: 1);
        await Eventually.TrueAsync(() => _cluster.Changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Up && c.Change.Incarnation == 2), "node 1 sees node 2 back");
        PeerStatusChangedEventArgs back = _cluster.Changes.Last(c => c.Observer == 1).Change;
        Assert.True(back.IsRestart);
        Assert.Equal(1u, back.PreviousIncarnation);
    }

    [Fact]
    public async Task Peers_that_keep_heartbeating_are_never_suspected()
    {
        await StartAsync(1, 1, peers: [2, 3]);
        await StartAsync(2, 1, peers: [1, 3]);
        await StartAsync(3, 1, peers: [1, 2]);
        for (int i = 0; i < 50; i++)
        {
            await _cluster.TickAsync(listener: 1, expectedFrames: 2);
        }

        Assert.DoesNotContain(_cluster.Changes, c => c.Change.Current == PeerState.Down);
        Assert.All(_cluster.Agent(1).GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
    }

    [Fact]
    public async Task A_peer_isolated_by_the_network_is_down_for_everyone_and_up_after_healing()
    {
        await StartAsync(1, 1, peers: [2, 3]);
        await StartAsync(2, 1, peers: [1, 3]);
        await StartAsync(3, 1, peers: [1, 2]);
        await _cluster.TickAsync(listener: 1, expectedFrames: 2);

        _cluster.Network.Isolate(3);
        for (int i = 0; i < Missed; i++)
        {
            await _cluster.TickAsync(listener: 1, expectedFrames: 1);
        }

        await VirtualTime.AdvanceUntilAsync(
            _cluster.Time,
            TimeSpan.FromMilliseconds(10),
            20,
            () => _cluster.Changes.Count(c => c.Change.NodeId == 3 && c.Change.Current == PeerState.Down) == 2
                && _cluster.Changes.Count(c => c.Observer == 3 && c.Change.Current == PeerState.Down) == 2,
            "nodes 1 and 2 report node 3 down, and node 3 reports both down");

        _cluster.Network.Reconnect(3);
        await _cluster.TickAsync(listener: 1, expectedFrames: 2);
        await Eventually.TrueAsync(() => _cluster.Changes.Count(c => c.Change.NodeId == 3 && c.Change.Current == PeerState.Up && c.Change.Previous == PeerState.Down) == 2, "node 3 is up again for both");
    }

    [Fact]
    public async Task Heartbeats_and_peer_transitions_are_metered()
    {
        await StartAsync(1, 1, peers: 2);
        using var sent = new MetricCollector<long>(_cluster.Host(1).Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Failover.Sdk", "failover.frame.sent");
        using var transitions = new MetricCollector<long>(_cluster.Host(1).Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Failover.Sdk", "failover.peer.transitions");
        await StartAsync(2, 1, peers: 1);
        await _cluster.TickAsync(listener: 2, expectedFrames: 1);

        Assert.Contains(sent.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["failover.frame.type"], "heartbeat") && Equals(m.Tags["failover.path"], "1"));
        Assert.Contains(transitions.GetMeasurementSnapshot(), m => Equals(m.Tags["failover.peer.state"], "up"));
    }

    [Fact]
    public async Task Peer_transitions_are_traced_with_their_evidence()
    {
        var activities = new ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Failover.Sdk",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        // Node ids no other test uses: the listener sees the whole process.
        await StartAsync(41, 1, peers: 42);
        await StartAsync(42, 1, peers: 41);
        await Eventually.TrueAsync(
            () => activities.Any(a => Equals(a.GetTagItem("failover.node"), 41u) && Equals(a.GetTagItem("failover.peer"), 42u)),
            "a transition span from node 41 about node 42");

        System.Diagnostics.Activity span = activities.First(a => Equals(a.GetTagItem("failover.node"), 41u));
        Assert.Equal("failover.peer.transition", span.OperationName);
        Assert.Equal("Up", span.GetTagItem("failover.peer.state"));
        Assert.Equal(0.3, (double)span.GetTagItem("failover.detector.timeout_seconds")!, precision: 9);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cluster.StopAllAsync();
}
