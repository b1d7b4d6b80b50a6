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
            HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddFailover(o =>
                {
                    o.NodeId = id;
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
            _hosts.Add(builder.Build());
        }

        foreach (IHost host in _hosts)
        {
            await host.StartAsync();
        }
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
}
