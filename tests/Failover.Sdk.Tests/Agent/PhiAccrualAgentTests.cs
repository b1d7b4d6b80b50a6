using System.Collections.Concurrent;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Agent;

/// <summary>Agents configured with the φ accrual detector, over the in-memory network, in virtual time.</summary>
public sealed class PhiAccrualAgentTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private const int Missed = 3;

    private readonly InMemoryCluster _cluster = new(Interval, Missed);

    private Task StartAsync(uint node, params uint[] peers) =>
        _cluster.StartAsync(node, incarnation: 1, peers, o => o.Detector = FailoverDetectorKind.PhiAccrual);

    [Fact]
    public async Task A_stopped_peer_is_reported_down_once_phi_crosses_the_threshold_sooner_than_k_intervals_on_a_regular_network()
    {
        await StartAsync(1, peers: 2);
        await StartAsync(2, peers: 1);
        await Eventually.TrueAsync(() => _cluster.Changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Up), "node 1 sees node 2 up");
        for (int i = 0; i < 10; i++)
        {
            await _cluster.TickAsync(listener: 1, expectedFrames: 1);
        }

        Assert.Equal(PeerState.Up, Assert.Single(_cluster.Agent(1).GetPeers()).State);

        await _cluster.Host(2).StopAsync();
        _cluster.Time.Advance(Interval);
        await VirtualTime.AdvanceUntilAsync(_cluster.Time, TimeSpan.FromMilliseconds(2), 100, () => _cluster.Changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Down), "node 1 reports node 2 down");

        // Ten exact 100 ms intervals beside the two bootstrap samples (75 and 125 ms): mean 100 ms,
        // deviation about 10 ms, so phi 8 is crossed near 100 + 5.2 × 10 ms, well inside the
        // 300 ms the fixed detector would wait and well outside one interval.
        PeerStatusChangedEventArgs down = _cluster.Changes.Single(c => c.Observer == 1 && c.Change.Current == PeerState.Down).Change;
        Assert.Equal(2u, down.NodeId);
        Assert.InRange(down.Silence, TimeSpan.FromMilliseconds(140), TimeSpan.FromMilliseconds(200));
        Assert.Equal(PeerState.Down, _cluster.Agent(1).GetPeers()[0].State);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cluster.StopAllAsync();
}
