using System.Collections.Concurrent;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// The events that follow a node's own runs and monitors (RunStarted, RunEnded, MonitorStarted,
/// MonitorOperational), with two real hosts in one process: an in-memory network, a shared
/// in-memory store and real timers. A task workload starts on node 1 under node 2's watch,
/// crashes, moves to node 2, and is stopped with the host.
/// </summary>
public sealed class WorkloadEventsTests : IAsyncLifetime, IDisposable
{
    private const string Workload = "alpha";
    private readonly InMemoryNetwork _network = new();
    private readonly InMemoryCoordinationStore _store = new(TimeProvider.System);
    private readonly TaskCompletionSource _crash = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IHost> _hosts = [];
    private readonly ConcurrentQueue<(uint Node, string Name, object Args)> _events = new();
    private int _stopped;

    public async Task InitializeAsync()
    {
        foreach (uint id in new uint[] { 1, 2 })
        {
            IHost host = Node(id);
            FailoverWorkloads workloads = host.Services.GetRequiredService<FailoverWorkloads>();
            // Before the start: the first run and monitors begin as the host starts.
            workloads.RunStarted += (_, e) => _events.Enqueue((id, nameof(workloads.RunStarted), e));
            workloads.RunEnded += (_, e) => _events.Enqueue((id, nameof(workloads.RunEnded), e));
            workloads.MonitorStarted += (_, e) => _events.Enqueue((id, nameof(workloads.MonitorStarted), e));
            workloads.MonitorOperational += (_, e) => _events.Enqueue((id, nameof(workloads.MonitorOperational), e));
            _hosts.Add(host);
        }

        foreach (IHost host in _hosts)
        {
            await host.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await StopHostsAsync();
        foreach (IHost host in _hosts)
        {
            host.Dispose();
        }
    }

    public void Dispose() => _store.Dispose();

    private IHost Node(uint id)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o =>
            {
                o.NodeId = id;
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(20);
                // Suspected after 200 ms, not 60: beside other tests on 2 cores a heartbeat can be
                // that late, and a swap passes over a node suspected at that instant.
                o.MissedHeartbeats = 10;
                o.Peers.Add(new FailoverPeerOptions { NodeId = 3 - id });
                o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(2);
                o.Coordination.LeaseSafetyMargin = TimeSpan.FromMilliseconds(500);
                o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(200);
            })
            .UseInMemoryNetwork(_network)
            .UseCoordinationStore(_store)
            .AddTaskWorkload(Workload, CrashOnceAsync, w =>
            {
                w.HomeNode = 1;
                w.Probe.Interval = TimeSpan.FromMilliseconds(50);
                w.Probe.MissedProbes = 3;
            });
        return builder.Build();
    }

    /// <summary>The first run crashes when the test says so; every later run runs until stopped.</summary>
    private async Task CrashOnceAsync(WorkloadContext context, CancellationToken stop)
    {
        if (context.NodeId == 1)
        {
            await Task.WhenAny(_crash.Task, Task.Delay(Timeout.Infinite, stop));
            stop.ThrowIfCancellationRequested();
            throw new InvalidOperationException("crashed on purpose");
        }

        await Task.Delay(Timeout.Infinite, stop);
    }

    private async Task StopHostsAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            foreach (IHost host in _hosts)
            {
                await host.StopAsync();
            }
        }
    }

    private FailoverWorkloads Workloads(uint node) => _hosts[(int)node - 1].Services.GetRequiredService<FailoverWorkloads>();

    private async Task WaitAsync(Func<bool> condition, string what)
    {
        try
        {
            await Eventually.TrueAsync(condition, what);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            Assert.Fail($"{e.Message}{Environment.NewLine}{Journal()}");
        }
    }

    /// <summary>Every event so far, for a failure message.</summary>
    private string Journal() => string.Join(Environment.NewLine, _events.Select(e => $"node {e.Node} {e.Name}: {e.Args}"));

    private T[] Seen<T>(uint node, string name) =>
        [.. _events.Where(e => e.Node == node && e.Name == name).Select(e => (T)e.Args)];

    [Fact]
    public async Task Runs_and_monitors_are_reported_as_they_start_operate_end_and_move()
    {
        // The start placement: alpha runs on node 1, node 2 watches it.
        await WaitAsync(() => Seen<WorkloadMonitorStatus>(2, "MonitorOperational").Length > 0, "node 2's monitor of alpha is operational");
        // A swap places the monitor only on a node it has heard from: wait until both have.
        await WaitAsync(() => _hosts.All(h => h.Services.GetRequiredService<FailoverAgent>().GetPeers().All(p => p.State == PeerState.Up)), "each node sees the other up");
        WorkloadRunStatus first = Assert.Single(Seen<WorkloadRunStatus>(1, "RunStarted"));
        Assert.Equal(Workload, first.WorkloadId);
        Assert.Null(first.ProcessId); // a task has no process of its own
        Assert.Equal(0u, first.MonitorNode);
        Assert.Equal(Workloads(1).GetRuns().Single().FencingToken, first.FencingToken);

        WorkloadMonitorStatus started = Assert.Single(Seen<WorkloadMonitorStatus>(2, "MonitorStarted"));
        Assert.Equal(new WorkloadMonitorStatus(Workload, 1, 0, IsOperational: false), started);
        WorkloadMonitorStatus operational = Assert.Single(Seen<WorkloadMonitorStatus>(2, "MonitorOperational"));
        Assert.Equal(new WorkloadMonitorStatus(Workload, 1, first.FencingToken, IsOperational: true), operational);
        Assert.Empty(Seen<WorkloadMonitorStatus>(1, "MonitorStarted"));

        // It crashes: node 1 reports its end (by itself, not stopped); the swap starts it on node 2
        // and a monitor on node 1, which becomes operational.
        _crash.SetResult();
        await WaitAsync(() => Seen<WorkloadMonitorStatus>(1, "MonitorOperational").Length > 0, "node 1's new monitor of alpha is operational");
        WorkloadRunEnded crashed = Assert.Single(Seen<WorkloadRunEnded>(1, "RunEnded"));
        Assert.Equal(Workload, crashed.WorkloadId);
        Assert.Equal(first.FencingToken, crashed.FencingToken);
        Assert.False(crashed.Stopped);
        Assert.Contains("crashed on purpose", crashed.Exit, StringComparison.Ordinal);

        WorkloadRunStatus moved = Assert.Single(Seen<WorkloadRunStatus>(2, "RunStarted"));
        Assert.True(moved.FencingToken > first.FencingToken, $"the new run's token {moved.FencingToken} is above the old {first.FencingToken}");
        Assert.Equal(new WorkloadMonitorStatus(Workload, 2, moved.FencingToken, IsOperational: false), Assert.Single(Seen<WorkloadMonitorStatus>(1, "MonitorStarted")));
        Assert.Equal(new WorkloadMonitorStatus(Workload, 2, moved.FencingToken, IsOperational: true), Assert.Single(Seen<WorkloadMonitorStatus>(1, "MonitorOperational")));
        Assert.Single(Seen<WorkloadRunStatus>(1, "RunStarted")); // node 1 did not start it again

        // Stopping the hosts stops the run on node 2: reported as stopped.
        await StopHostsAsync();
        WorkloadRunEnded stopped = Assert.Single(Seen<WorkloadRunEnded>(2, "RunEnded"));
        Assert.Equal(moved.FencingToken, stopped.FencingToken);
        Assert.True(stopped.Stopped, stopped.Exit);
    }
}
