using System.Diagnostics;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Swap;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// FS-6, FS-8, FS-11 with real hosts in one process (in-memory network, a shared in-memory
/// store, real timers): a task workload fails, only it moves, and its monitor moves the other way.
/// </summary>
public sealed class InProcessSwapTests : IAsyncLifetime, IDisposable
{
    private readonly InMemoryNetwork _network = new();
    private readonly InMemoryCoordinationStore _store = new(TimeProvider.System);
    private readonly Faults _faults = new();
    private readonly List<IHost> _hosts = [];

    /// <summary>Lets a test make the current run of a workload fail, wherever it runs.</summary>
    private sealed class Faults
    {
        private readonly Dictionary<string, TaskCompletionSource> _crash = [];
        private readonly HashSet<string> _early = [];

        /// <summary>The crash of the run that asks (each run asks once, as its body begins).</summary>
        public Task CrashOf(string workloadId)
        {
            lock (_crash)
            {
                if (_early.Remove(workloadId))
                {
                    return Task.CompletedTask;
                }

                _crash[workloadId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _crash[workloadId].Task;
            }
        }

        /// <summary>
        /// Crashes the current run. A run counts as started once its runner returns, which can
        /// be before its body has asked for its crash: that body then crashes as it begins.
        /// </summary>
        public void Crash(string workloadId)
        {
            lock (_crash)
            {
                if (!_crash.TryGetValue(workloadId, out TaskCompletionSource? crash) || !crash.TrySetResult())
                {
                    _early.Add(workloadId);
                }
            }
        }
    }

    public async Task InitializeAsync()
    {
        foreach (uint id in new uint[] { 1, 2, 3 })
        {
            IHost host = Node(id);
            _hosts.Add(host);
        }

        foreach (IHost host in _hosts)
        {
            await host.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (IHost host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

    }

    public void Dispose()
    {
        _store.Dispose();
    }

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
                foreach (uint peer in new uint[] { 1, 2, 3 }.Where(p => p != id))
                {
                    o.Peers.Add(new FailoverPeerOptions { NodeId = peer });
                }

                o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(2);
                o.Coordination.LeaseSafetyMargin = TimeSpan.FromMilliseconds(500);
                o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(200);
            })
            .UseInMemoryNetwork(_network)
            .UseCoordinationStore(_store)
            .AddTaskWorkload("alpha", RunUntilCrashed("alpha"), Probe(home: 1))
            .AddTaskWorkload("beta", RunUntilCrashed("beta"), Probe(home: 1))
            .AddTaskWorkload("gamma", RunUntilCrashed("gamma"), Probe(home: 2));
        return builder.Build();
    }

    private static Action<FailoverWorkloadOptions> Probe(uint home) => w =>
    {
        w.HomeNode = home;
        w.Probe.Interval = TimeSpan.FromMilliseconds(50);
        w.Probe.MissedProbes = 3;
    };

    private Func<WorkloadContext, CancellationToken, Task> RunUntilCrashed(string id) => async (context, stop) =>
    {
        Task crash = _faults.CrashOf(id);
        await Task.WhenAny(crash, Task.Delay(Timeout.Infinite, stop));
        stop.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"{id} crashed on node {context.NodeId}");
    };

    private FailoverWorkloads Workloads(uint node) => _hosts[(int)node - 1].Services.GetRequiredService<FailoverWorkloads>();

    private uint RunnerOf(string id) => (uint)(Array.FindIndex([.. _hosts], h => h.Services.GetRequiredService<FailoverWorkloads>().GetRuns().Any(r => r.WorkloadId == id)) + 1);

    private uint MonitorOf(string id) => (uint)(Array.FindIndex([.. _hosts], h => h.Services.GetRequiredService<FailoverWorkloads>().GetMonitors().Any(m => m.WorkloadId == id && m.IsOperational)) + 1);

    [Fact]
    public async Task A_crashed_task_moves_alone_and_its_monitor_moves_to_the_node_it_failed_on()
    {
        await Eventually.TrueAsync(() => RunnerOf("alpha") == 1 && RunnerOf("beta") == 1 && RunnerOf("gamma") == 2, "the start placement runs");
        await Eventually.TrueAsync(() => MonitorOf("alpha") > 1 && MonitorOf("beta") > 1 && MonitorOf("gamma") != 2 && MonitorOf("gamma") > 0, "every workload monitored from another node");
        // A swap places the new monitor only on a node it has heard from: wait until all have.
        await Eventually.TrueAsync(() => _hosts.All(h => h.Services.GetRequiredService<FailoverAgent>().GetPeers().All(p => p.State == PeerState.Up)), "every node sees the others up");
        uint oldMonitor = MonitorOf("alpha");
        long betaToken = Workloads(1).GetRuns().Single(r => r.WorkloadId == "beta").FencingToken;
        long gammaToken = Workloads(2).GetRuns().Single(r => r.WorkloadId == "gamma").FencingToken;
        var completed = new TaskCompletionSource<WorkloadSwapRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        Workloads(oldMonitor).SwapCompleted += (_, record) => completed.TrySetResult(record);
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Failover.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "failover.swap" && (string?)activity.GetTagItem("failover.workload") == "alpha")
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        _faults.Crash("alpha");
        WorkloadSwapRecord swap = await completed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(swap.Completed, string.Join(" | ", swap.Steps.Select(s => $"{s.Step} {s.Node}: {s.Detail}")));
        Assert.Equal(1u, swap.FromNode);
        Assert.Equal(oldMonitor, swap.OldMonitor);
        Assert.True(swap.NewMonitor == 1u, string.Join(" | ", swap.Steps.Select(s => $"{s.Step} {s.Node}: {s.Detail}"))); // the seed's swap: the new monitor runs on the node it failed on
        Assert.NotEqual(1u, swap.ToNode);
        Assert.Equal(
            [WorkloadSwapStep.Detected, WorkloadSwapStep.Terminating, WorkloadSwapStep.Terminated, WorkloadSwapStep.Starting, WorkloadSwapStep.Started,
             WorkloadSwapStep.StartingMonitor, WorkloadSwapStep.MonitorOperational, WorkloadSwapStep.OldMonitorStopped, WorkloadSwapStep.Completed],
            swap.Steps.Select(s => s.Step));
        Assert.Contains(swap.Candidates, c => c.NodeId == 1 && !c.ForMonitor && c.Rejection is not null);
        Assert.Equal(swap.ToNode, RunnerOf("alpha"));
        await Eventually.TrueAsync(() => MonitorOf("alpha") == 1, "node 1 monitors alpha");
        Assert.DoesNotContain(Workloads(oldMonitor).GetMonitors(), m => m.WorkloadId == "alpha" && m.RunnerNode != 1 && oldMonitor != 1);

        // FS-8: nothing else moved or restarted.
        Assert.Equal(betaToken, Workloads(1).GetRuns().Single(r => r.WorkloadId == "beta").FencingToken);
        Assert.Equal(gammaToken, Workloads(2).GetRuns().Single(r => r.WorkloadId == "gamma").FencingToken);
        Assert.True(swap.FencingToken > betaToken && swap.FencingToken > gammaToken, "the new run's token is the newest");

        // BY-7 as a trace: the same record on a span of its own, recorded before the event was raised.
        Activity span = Assert.Single(spans, a => (long)a.GetTagItem("failover.swap.fencing_token")! == swap.FencingToken);
        Assert.Equal(true, span.GetTagItem("failover.swap.completed"));
        Assert.Equal(swap.Reason, span.GetTagItem("failover.swap.reason"));
        Assert.Contains("runner 1: is the node the workload failed on", (string)span.GetTagItem("failover.swap.candidates")!, StringComparison.Ordinal);
        Assert.Equal(swap.Steps.Select(s => s.Step.ToString()), span.Events.Select(e => e.Name));
    }

    [Fact]
    public async Task The_node_that_becomes_a_monitor_counts_the_watched_run_on_its_node_when_it_places_by_load()
    {
        await Eventually.TrueAsync(() => RunnerOf("alpha") == 1 && MonitorOf("alpha") > 1 && MonitorOf("beta") > 1 && MonitorOf("gamma") > 0, "the start placement runs and is monitored");
        await Eventually.TrueAsync(() => _hosts.All(h => h.Services.GetRequiredService<FailoverAgent>().GetPeers().All(p => p.State == PeerState.Up)), "every node sees the others up");
        var completed = new TaskCompletionSource<WorkloadSwapRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        Workloads(MonitorOf("alpha")).SwapCompleted += (_, record) => completed.TrySetResult(record);

        _faults.Crash("alpha");
        WorkloadSwapRecord swap = await completed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(swap.Completed && swap.NewMonitor == 1, string.Join(" | ", swap.Steps.Select(s => $"{s.Step} {s.Node}: {s.Detail}")));

        // Node 1's own run of alpha ended, but the monitor it was asked to start tells it where
        // alpha runs now: the next swap node 1 runs ranks that node with alpha's load on it.
        Assert.Equal(swap.ToNode, Workloads(1).Assignments.RunnerOf("alpha"));
        int expected = new[] { "alpha", "beta", "gamma" }.Count(id => RunnerOf(id) == swap.ToNode);
        Assert.Equal(expected, Workloads(1).ClusterNodes(everyoneAlive: false).Single(n => n.NodeId == swap.ToNode).RunningCount);
    }
}
