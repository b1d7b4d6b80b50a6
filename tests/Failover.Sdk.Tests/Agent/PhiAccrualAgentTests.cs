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

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNetwork _network = new();
    private readonly Dictionary<uint, IHost> _hosts = [];
    private readonly ConcurrentQueue<(uint Observer, PeerStatusChangedEventArgs Change)> _changes = new();

    private FailoverAgent Agent(uint node) => _hosts[node].Services.GetRequiredService<FailoverAgent>();

    private async Task StartAsync(uint node, params uint[] peers)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddFailover(o =>
        {
            o.NodeId = node;
            o.Incarnation = 1;
            o.HeartbeatInterval = Interval;
            o.MissedHeartbeats = Missed;
            o.Detector = FailoverDetectorKind.PhiAccrual;
            foreach (uint peer in peers)
            {
                o.Peers.Add(new() { NodeId = peer });
            }
        }).UseInMemoryNetwork(_network);
        IHost host = builder.Build();
        host.Services.GetRequiredService<FailoverAgent>().PeerStatusChanged += (_, e) => _changes.Enqueue((node, e));
        _hosts[node] = host;
        await host.StartAsync();
    }

    private long Received(uint node) => _hosts[node].Services.GetRequiredService<TransportSet>().All.Sum(t => t.Counters.Received);

    private async Task TickAsync(uint listener, int expectedFrames)
    {
        long before = Received(listener);
        _time.Advance(Interval);
        await Eventually.TrueAsync(() => Received(listener) >= before + expectedFrames, $"node {listener} receives {expectedFrames} heartbeat(s)");
    }

    [Fact]
    public async Task A_stopped_peer_is_reported_down_once_phi_crosses_the_threshold_sooner_than_k_intervals_on_a_regular_network()
    {
        await StartAsync(1, peers: 2);
        await StartAsync(2, peers: 1);
        await Eventually.TrueAsync(() => _changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Up), "node 1 sees node 2 up");
        for (int i = 0; i < 10; i++)
        {
            await TickAsync(listener: 1, expectedFrames: 1);
        }

        Assert.Equal(PeerState.Up, Assert.Single(Agent(1).GetPeers()).State);

        await _hosts[2].StopAsync();
        _time.Advance(Interval);
        await VirtualTime.AdvanceUntilAsync(_time, TimeSpan.FromMilliseconds(2), 100, () => _changes.Any(c => c.Observer == 1 && c.Change.Current == PeerState.Down), "node 1 reports node 2 down");

        // Ten exact 100 ms intervals beside the two bootstrap samples (75 and 125 ms): mean 100 ms,
        // deviation about 10 ms, so phi 8 is crossed near 100 + 5.2 × 10 ms, well inside the
        // 300 ms the fixed detector would wait and well outside one interval.
        PeerStatusChangedEventArgs down = _changes.Single(c => c.Observer == 1 && c.Change.Current == PeerState.Down).Change;
        Assert.Equal(2u, down.NodeId);
        Assert.InRange(down.Silence, TimeSpan.FromMilliseconds(140), TimeSpan.FromMilliseconds(200));
        Assert.Equal(PeerState.Down, Agent(1).GetPeers()[0].State);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IHost host in _hosts.Values)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
