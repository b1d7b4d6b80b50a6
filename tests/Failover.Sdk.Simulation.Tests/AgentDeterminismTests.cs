using Failover.Sdk.Agent;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Simulation.Time;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Simulation.Tests;

/// <summary>Real agents over the in-memory network, driven by virtual time: the same run twice gives the same events at the same instants.</summary>
public sealed class AgentDeterminismTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private const int Missed = 3;

    private sealed record Observed(uint Observer, uint Peer, PeerState Previous, PeerState Current, uint Incarnation, TimeSpan Silence, TimeSpan At);

    private sealed record RunResult(IReadOnlyList<Observed> Events, TimeSpan LastHeardBeforeIsolation);

    private static async Task<IHost> StartAgentAsync(VirtualTimeProvider time, InMemoryNetwork network, List<Observed> events, uint node, uint peer)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddFailover(o =>
        {
            o.NodeId = node;
            o.Incarnation = 1;
            o.HeartbeatInterval = Interval;
            o.MissedHeartbeats = Missed;
            o.Peers.Add(new() { NodeId = peer });
        }).UseInMemoryNetwork(network);
        IHost host = builder.Build();
        host.Services.GetRequiredService<FailoverAgent>().PeerStatusChanged += (_, e) =>
        {
            lock (events)
            {
                events.Add(new(node, e.NodeId, e.Previous, e.Current, e.Incarnation, e.Silence, time.GetUtcNow() - Start));
            }
        };

        // Since .NET 10 BackgroundService starts ExecuteAsync with Task.Run, so the agent's loops
        // reach their first await on a pool thread: wait until both have armed their timers
        // (heartbeat PeriodicTimer, then the watch loop's Task.Delay) before virtual time moves.
        // The coordinator arms three more as it starts: its lease's renewal delay and deadline,
        // and the in-memory store's expiry timer.
        int armed = time.ScheduledTimerCount;
        await host.StartAsync();
        await Eventually.TrueAsync(() => time.ScheduledTimerCount == armed + 5, $"node {node} arms its heartbeat and watch timers (and its coordinator, its lease renewal, deadline and expiry)");
        return host;
    }

    private static async Task<RunResult> RunAsync()
    {
        var time = new VirtualTimeProvider(Start);
        var network = new InMemoryNetwork();
        var events = new List<Observed>();
        using IHost node1 = await StartAgentAsync(time, network, events, node: 1, peer: 2);
        using IHost node2 = await StartAgentAsync(time, network, events, node: 2, peer: 1);

        time.RunUntil(Start + TimeSpan.FromSeconds(3));
        PeerStatus seen = Assert.Single(node1.Services.GetRequiredService<FailoverAgent>().GetPeers());
        TimeSpan lastHeard = time.GetUtcNow() - Start - seen.Silence;
        network.Isolate(2);

        time.RunUntil(Start + TimeSpan.FromSeconds(10));

        IReadOnlyList<Observed> result;
        lock (events)
        {
            result = [.. events];
        }

        return new RunResult(result, lastHeard);
    }

    [Fact]
    public async Task Two_runs_of_an_isolation_give_identical_events_at_identical_virtual_instants()
    {
        RunResult first = await RunAsync();
        RunResult second = await RunAsync();

        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.LastHeardBeforeIsolation, second.LastHeardBeforeIsolation);

        // Node 1 hears node 2's first heartbeat as node 2 starts; node 2 hears node 1 at
        // node 1's first tick (its start-up heartbeat had nowhere to go). Then both see the other down.
        Assert.Contains(first.Events, e => e is { Observer: 1, Peer: 2, Current: PeerState.Up } && e.At == TimeSpan.Zero);
        Assert.Contains(first.Events, e => e is { Observer: 2, Peer: 1, Current: PeerState.Up } && e.At == Interval);
        Assert.Equal(4, first.Events.Count);

        Observed down = Assert.Single(first.Events, e => e.Observer == 1 && e.Current == PeerState.Down);
        TimeSpan timeout = Interval * Missed;
        Assert.Equal(TimeSpan.FromSeconds(3), first.LastHeardBeforeIsolation);
        Assert.InRange(down.At, first.LastHeardBeforeIsolation + timeout + TimeSpan.FromTicks(1), first.LastHeardBeforeIsolation + timeout + TimeSpan.FromMilliseconds(1));
        Assert.InRange(down.Silence, timeout + TimeSpan.FromTicks(1), timeout + TimeSpan.FromMilliseconds(1));
        Assert.Single(first.Events, e => e.Observer == 2 && e.Current == PeerState.Down);
    }
}
