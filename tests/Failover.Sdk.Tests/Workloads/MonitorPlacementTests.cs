using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// FS-1 from the runner's side: it looks for a new monitor only when its monitor is really gone
/// (three hosts, in-memory network, a shared store, real time).
/// </summary>
public sealed class MonitorPlacementTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly InMemoryNetwork _network = new();
    private readonly InMemoryCoordinationStore _store = new(TimeProvider.System);
    private readonly List<IHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IHost host in _hosts)
        {
            await host.StopAsync().WaitAsync(Deadline);
            host.Dispose();
        }
    }

    public void Dispose() => _store.Dispose();

    private async Task StartAsync(Action<FailoverOptions> swap, Action<FailoverWorkloadOptions> workload)
    {
        foreach (uint id in new uint[] { 1, 2, 3 })
        {
            _hosts.Add(Node(id, incarnation: 1, swap, workload));
        }

        foreach (IHost host in _hosts)
        {
            await host.StartAsync();
        }
    }

    private IHost Node(uint id, uint incarnation, Action<FailoverOptions> swap, Action<FailoverWorkloadOptions> workload)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o =>
                {
                    o.NodeId = id;
                    o.Incarnation = incarnation;
                    o.HeartbeatInterval = TimeSpan.FromMilliseconds(20);
                    foreach (uint peer in new uint[] { 1, 2, 3 }.Where(p => p != id))
                    {
                        o.Peers.Add(new FailoverPeerOptions { NodeId = peer });
                    }

                    o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(2);
                    o.Coordination.LeaseSafetyMargin = TimeSpan.FromMilliseconds(500);
                    o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(100);
                    swap(o);
                })
                .UseInMemoryNetwork(_network)
                .UseCoordinationStore(_store)
                .AddTaskWorkload("w", (_, stop) => Task.Delay(Timeout.Infinite, stop), w =>
                {
                    w.HomeNode = 1;
                    workload(w);
                });
        return builder.Build();
    }

    private FailoverWorkloads Workloads(uint node) => _hosts[(int)node - 1].Services.GetRequiredService<FailoverWorkloads>();

    private uint[] MonitorsOf(string id) => [.. new uint[] { 1, 2, 3 }.Where(n => Workloads(n).GetMonitors().Any(m => m.WorkloadId == id))];

    [Fact]
    public async Task A_monitor_that_probes_less_often_than_the_ready_timeout_is_not_taken_for_lost()
    {
        await StartAsync(
            o => o.Swap.MonitorReadyTimeout = TimeSpan.FromMilliseconds(150),
            w => w.Probe.Interval = TimeSpan.FromMilliseconds(400));
        await Eventually.TrueAsync(() => Workloads(1).GetRuns().Count == 1, "node 1 runs w");
        uint monitor = Assert.Single(MonitorsOf("w"));

        // Five probes: each gap between two is longer than the ready timeout.
        await Eventually.TrueAsync(() => Workloads(monitor).MonitorOf("w")?.Answers >= 5, "five good answers");

        Assert.Equal([monitor], MonitorsOf("w"));
        Assert.Equal(monitor, Workloads(1).GetRuns()[0].MonitorNode);
    }

    [Fact]
    public async Task A_node_left_monitoring_its_own_run_hands_the_monitor_on_once_another_node_can_take_it()
    {
        Action<FailoverOptions> swap = o => o.Swap.MonitorReadyTimeout = TimeSpan.FromMilliseconds(400);
        Action<FailoverWorkloadOptions> onOneAndTwo = w =>
        {
            w.Nodes = [1, 2];
            w.MonitorNodes = [1, 2];
            w.Probe.Interval = TimeSpan.FromMilliseconds(50);
            w.Probe.MissedProbes = 6;
        };
        await StartAsync(swap, onOneAndTwo);
        await Eventually.TrueAsync(() => Workloads(2).GetMonitors().Any(m => m.WorkloadId == "w" && m.IsOperational), "node 2 monitors w on node 1");
        var completed = new TaskCompletionSource<Failover.Sdk.Swap.WorkloadSwapRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        Workloads(2).SwapCompleted += (_, record) => completed.TrySetResult(record);

        // Node 1 goes: w moves to node 2, and no other node may monitor it there.
        await _hosts[0].StopAsync().WaitAsync(Deadline);
        Failover.Sdk.Swap.WorkloadSwapRecord moved = await completed.Task.WaitAsync(Deadline);
        Assert.True(moved.Completed, string.Join(" | ", moved.Steps.Select(x => $"{x.Step} {x.Node}: {x.Detail}")));
        Assert.Equal(2u, moved.ToNode);
        Assert.Equal([2u], MonitorsOf("w"));
        long token = Assert.Single(Workloads(2).GetRuns()).FencingToken;

        // Node 1 comes back: FS-1 is restored without a new failure, and the run is left alone.
        _hosts[0].Dispose();
        _hosts[0] = Node(1, incarnation: 2, swap, onOneAndTwo);
        await _hosts[0].StartAsync();
        await Eventually.TrueAsync(() => Workloads(1).GetMonitors().Any(m => m.WorkloadId == "w" && m.RunnerNode == 2 && m.IsOperational), "node 1 monitors w on node 2");
        await Eventually.TrueAsync(() => MonitorsOf("w").SequenceEqual([1u]), "node 2 stops monitoring its own run");
        Assert.Equal(token, Assert.Single(Workloads(2).GetRuns()).FencingToken);
        Assert.Empty(Workloads(1).GetRuns());
    }
}
