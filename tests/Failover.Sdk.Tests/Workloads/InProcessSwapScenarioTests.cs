using System.Collections.Concurrent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Swap;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// The process swap with real hosts in one process (in-memory network, real timers with short
/// intervals): every in-process kind moves (FS-7), a hang is caught by heartbeats (FS-5), a lost
/// monitor is replaced (FS-1), swaps work without a shared store, and a stale monitor cannot
/// stop a newer run (FS-8, BY-1).
/// </summary>
public sealed class InProcessSwapScenarioTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly uint[] NodeIds = [1, 2, 3];

    private readonly InMemoryNetwork _network = new();
    private readonly InMemoryCoordinationStore _store = new(TimeProvider.System);
    private readonly Faults _faults = new();
    private readonly ConcurrentQueue<(string WorkloadId, uint Node, long Token, bool OnPoolThread)> _starts = new();
    private readonly TaskCompletionSource _unhang = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IHost?[] _hosts = new IHost?[3];
    private readonly TaskCompletionSource<WorkloadSwapRecord> _swapped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _hangToken;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _unhang.TrySetResult();
        foreach (IHost? host in _hosts)
        {
            if (host is not null)
            {
                await host.StopAsync().WaitAsync(Deadline);
                host.Dispose();
            }
        }
    }

    public void Dispose() => _store.Dispose();

    /// <summary>Starts nodes 1 to 3, each declaring the workloads <paramref name="declare"/> adds.</summary>
    private async Task StartAsync(Action<IFailoverBuilder> declare, bool fenced = true, Action<FailoverOptions>? tune = null)
    {
        foreach (uint id in NodeIds)
        {
            HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddFakeLogging();
            builder.Services.AddSingleton(_faults);
            IFailoverBuilder failover = builder.Services.AddFailover(o =>
                {
                    o.NodeId = id;
                    o.HeartbeatInterval = TimeSpan.FromMilliseconds(20);
                    foreach (uint peer in NodeIds.Where(p => p != id))
                    {
                        o.Peers.Add(new FailoverPeerOptions { NodeId = peer });
                    }

                    o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(2);
                    o.Coordination.LeaseSafetyMargin = TimeSpan.FromMilliseconds(500);
                    o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(200);
                    tune?.Invoke(o);
                })
                .UseInMemoryNetwork(_network);
            if (fenced)
            {
                failover.UseCoordinationStore(_store);
            }

            declare(failover);
            _hosts[id - 1] = builder.Build();
        }

        foreach (IHost? host in _hosts)
        {
            await host!.StartAsync();
            host.Services.GetRequiredService<FailoverWorkloads>().SwapCompleted += (_, record) => _swapped.TrySetResult(record);
        }
    }

    private static Action<FailoverWorkloadOptions> Probe(uint home, WorkloadProbeKind kind = WorkloadProbeKind.KeyResponse) => w =>
    {
        w.HomeNode = home;
        w.Probe.Kind = kind;
        w.Probe.Interval = TimeSpan.FromMilliseconds(50);
        // Eight, not three: these hosts share two cores with other tests, and a false failure would be another swap.
        w.Probe.MissedProbes = 8;
    };

    private FailoverWorkloads Workloads(uint node) => _hosts[node - 1]!.Services.GetRequiredService<FailoverWorkloads>();

    private IEnumerable<uint> Running => NodeIds.Where(n => _hosts[n - 1] is not null);

    private uint[] RunnersOf(string id) => [.. Running.Where(n => Workloads(n).GetRuns().Any(r => r.WorkloadId == id))];

    private uint[] OperationalMonitorsOf(string id) => [.. Running.Where(n => Workloads(n).GetMonitors().Any(m => m.WorkloadId == id && m.IsOperational))];

    private async Task<(uint Runner, uint Monitor)> PlacedAsync(string id)
    {
        await Eventually.TrueAsync(() => RunnersOf(id).Length == 1 && OperationalMonitorsOf(id).Length == 1, $"{id} runs and is monitored");
        return (RunnersOf(id)[0], OperationalMonitorsOf(id)[0]);
    }

    private static string Journal(WorkloadSwapRecord swap) => string.Join(" | ", swap.Steps.Select(s => $"{s.Step} {s.Node}: {s.Detail}"));

    /// <summary>Checks a swap that moved <paramref name="id"/> off <paramref name="from"/> and that it runs and is monitored there now.</summary>
    private async Task<WorkloadSwapRecord> MovedAsync(string id, uint from)
    {
        WorkloadSwapRecord swap = await _swapped.Task.WaitAsync(Deadline);
        Assert.True(swap.Completed, Journal(swap));
        Assert.Equal(id, swap.WorkloadId);
        Assert.Equal(from, swap.FromNode);
        Assert.NotEqual(from, swap.ToNode);
        Assert.Contains(swap.Steps, s => s.Step == WorkloadSwapStep.Started && s.Node == swap.ToNode);
        await Eventually.TrueAsync(() => RunnersOf(id).SequenceEqual([swap.ToNode]), $"{id} runs on node {swap.ToNode} only");
        await Eventually.TrueAsync(() => OperationalMonitorsOf(id).Length == 1 && OperationalMonitorsOf(id)[0] != swap.ToNode, $"{id} is monitored from another node");
        return swap;
    }

    [Fact]
    public async Task A_thread_workload_that_crashes_moves_and_runs_on_a_dedicated_thread_again()
    {
        await StartAsync(b => b.AddThreadWorkload("t", (context, stop) =>
        {
            _starts.Enqueue(("t", context.NodeId, context.FencingToken, Thread.CurrentThread.IsThreadPoolThread));
            Task crash = _faults.CrashOf("t", context.NodeId);
            try
            {
                crash.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            throw new InvalidOperationException($"t crashed on node {context.NodeId}");
        }, Probe(home: 1)));
        await PlacedAsync("t");

        _faults.Crash("t", 1);
        WorkloadSwapRecord swap = await MovedAsync("t", from: 1);

        Assert.Equal(WorkloadSwapStep.Terminated, swap.Steps.Single(s => s.Step is WorkloadSwapStep.Terminated or WorkloadSwapStep.TerminateUnconfirmed).Step);
        Assert.Equal(swap.FencingToken, Assert.Single(Workloads(swap.ToNode).GetRuns()).FencingToken);
        var starts = _starts.ToArray();
        Assert.Equal([1u, swap.ToNode], starts.Select(s => s.Node));
        Assert.All(starts, s => Assert.False(s.OnPoolThread, "a thread workload runs on a thread of its own"));
        Assert.True(starts[1].Token > starts[0].Token, "the new run has a newer fencing token");
    }

    [Fact]
    public async Task A_hosted_service_workload_that_crashes_moves_with_a_fresh_service()
    {
        await StartAsync(b => b.AddHostedServiceWorkload<CrashingService>("svc", Probe(home: 2)));
        await PlacedAsync("svc");
        Assert.Equal([2u], RunnersOf("svc"));

        _faults.Crash("svc", 2);
        WorkloadSwapRecord swap = await MovedAsync("svc", from: 2);

        // Each run is a new service, made for it with its own context; the crashed one was torn down.
        CrashingService[] services = [.. _faults.Services];
        Assert.Equal([2u, swap.ToNode], services.Select(s => s.Context.NodeId));
        Assert.Equal(swap.FencingToken, services[1].Context.FencingToken);
        Assert.True(services[1].Context.FencingToken > services[0].Context.FencingToken);
        await Eventually.TrueAsync(() => services[0].Stopped, "the crashed service is stopped");
        Assert.False(services[1].Stopped);
    }

    [Fact]
    public async Task Heartbeats_catch_a_task_that_hangs_without_ending_which_answering_probes_would_hide()
    {
        await StartAsync(b => b.AddTaskWorkload("hb", async (context, stop) =>
        {
            while (true)
            {
                if (Volatile.Read(ref _hangToken) == context.FencingToken)
                {
                    // Stuck for good, deaf to its token too, as a deadlock is.
                    await _unhang.Task;
                    return;
                }

                context.Heartbeat();
                await Task.Delay(10, stop);
            }
        }, Probe(home: 1, WorkloadProbeKind.Heartbeat)));
        (uint runner, uint monitor) = await PlacedAsync("hb");
        Assert.Equal(1u, runner);

        Volatile.Write(ref _hangToken, Workloads(1).GetRuns()[0].FencingToken);
        WorkloadSwapRecord swap = await MovedAsync("hb", from: 1);

        Assert.Equal(monitor, swap.OldMonitor);
        Assert.Equal("no heartbeat for 8 intervals of 50 ms", swap.Reason);
        // The hung run ignored its stop: abandoned after the grace period, then its node released it.
        Assert.Contains(swap.Steps, s => s.Step == WorkloadSwapStep.Terminated && s.Node == 1);
        Assert.Empty(Workloads(1).GetRuns());
        long answers = Workloads(OperationalMonitorsOf("hb")[0]).MonitorOf("hb")!.Answers;
        await Eventually.TrueAsync(() => Workloads(OperationalMonitorsOf("hb")[0]).MonitorOf("hb")?.Answers > answers + 5, "the new run heartbeats");
    }

    [Fact]
    public async Task When_the_monitors_host_stops_the_runner_places_a_new_monitor_and_the_run_stays()
    {
        await StartAsync(
            b => b.AddTaskWorkload("w", (_, stop) => Task.Delay(Timeout.Infinite, stop), Probe(home: 1)),
            tune: o => o.Swap.MonitorReadyTimeout = TimeSpan.FromMilliseconds(500));
        (uint runner, uint monitor) = await PlacedAsync("w");
        Assert.Equal(1u, runner);
        long token = Workloads(1).GetRuns()[0].FencingToken;
        uint third = NodeIds.Single(n => n != runner && n != monitor);

        IHost stopped = _hosts[monitor - 1]!;
        _hosts[monitor - 1] = null;
        await stopped.StopAsync().WaitAsync(Deadline);
        stopped.Dispose();

        await Eventually.TrueAsync(() => OperationalMonitorsOf("w").SequenceEqual([third]), $"node {third} monitors w");
        WorkloadMonitorStatus status = Assert.Single(Workloads(third).GetMonitors());
        Assert.Equal((1u, token), (status.RunnerNode, status.FencingToken));
        await Eventually.TrueAsync(() => Workloads(1).GetRuns()[0].MonitorNode == third, "node 1 sees its new monitor");
        Assert.Equal(token, Workloads(1).GetRuns()[0].FencingToken);
        Assert.False(_swapped.Task.IsCompleted, "nothing was swapped: only the monitor moved");
    }

    [Fact]
    public async Task Without_a_shared_store_a_crash_still_swaps_because_the_old_node_confirms_the_stop()
    {
        await StartAsync(b => b.AddTaskWorkload("u", RunUntilCrashed("u"), Probe(home: 1)), fenced: false);
        foreach (uint node in NodeIds)
        {
            Assert.False(Workloads(node).IsFenced);
            FakeLogRecord warning = Assert.Single(_hosts[node - 1]!.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3301);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains("not protected against split brain", warning.Message, StringComparison.Ordinal);
        }

        await PlacedAsync("u");
        _faults.Crash("u", 1);
        WorkloadSwapRecord swap = await MovedAsync("u", from: 1);

        Assert.Contains(swap.Steps, s => s.Step == WorkloadSwapStep.Terminated && s.Node == 1);
        Assert.DoesNotContain(swap.Steps, s => s.Step == WorkloadSwapStep.TerminateUnconfirmed);
        Assert.Equal(swap.FencingToken, Assert.Single(Workloads(swap.ToNode).GetRuns()).FencingToken);
    }

    [Fact]
    public async Task A_terminate_with_an_older_token_is_refused_and_leaves_the_newer_run_alone()
    {
        await StartAsync(b => b.AddTaskWorkload("s", RunUntilCrashed("s"), Probe(home: 1)));
        await PlacedAsync("s");
        long oldToken = Workloads(1).GetRuns()[0].FencingToken;
        _faults.Crash("s", 1);
        WorkloadSwapRecord swap = await MovedAsync("s", from: 1);
        uint runner = swap.ToNode;
        Assert.True(swap.FencingToken > oldToken);

        // A monitor that still believes in the old run tells the new node to stop it.
        uint stale = NodeIds.First(n => n != runner);
        var terminate = new Frame { Command = (byte)SwapCommand.Terminate, WorkloadId = WorkloadWireIds.Of("s"), FencingEpoch = (ulong)oldToken };
        Frame? reply = await Workloads(stale).Commands.SendAsync(runner, terminate, TimeSpan.FromSeconds(2), CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal((byte)SwapCommandStatus.StaleToken, reply?.CommandStatus);
        Assert.Equal((ulong)swap.FencingToken, reply?.FencingEpoch);
        WorkloadRunStatus run = Assert.Single(Workloads(runner).GetRuns());
        Assert.Equal(swap.FencingToken, run.FencingToken);
        Assert.Equal(runner, RunnersOf("s").Single());
        Assert.Equal(swap.FencingToken, (await _store.GetOwnerAsync("s")).Owner?.FencingToken);
    }

    private Func<WorkloadContext, CancellationToken, Task> RunUntilCrashed(string id) => async (context, stop) =>
    {
        Task crash = _faults.CrashOf(id, context.NodeId);
        await Task.WhenAny(crash, Task.Delay(Timeout.Infinite, stop));
        stop.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"{id} crashed on node {context.NodeId}");
    };

    /// <summary>Lets a test make the run of a workload on one node fail; shared by every host.</summary>
    internal sealed class Faults
    {
        private readonly Dictionary<(string, uint), TaskCompletionSource> _crash = [];

        public ConcurrentQueue<CrashingService> Services { get; } = new();

        public Task CrashOf(string workloadId, uint node)
        {
            lock (_crash)
            {
                if (!_crash.TryGetValue((workloadId, node), out TaskCompletionSource? crash))
                {
                    crash = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _crash[(workloadId, node)] = crash;
                }

                return crash.Task;
            }
        }

        public void Crash(string workloadId, uint node)
        {
            lock (_crash)
            {
                if (!_crash.TryGetValue((workloadId, node), out TaskCompletionSource? crash))
                {
                    crash = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _crash[(workloadId, node)] = crash;
                }

                crash.TrySetResult();
            }
        }
    }

    /// <summary>A hosted-service workload: its loop runs until stopped or crashed by the test.</summary>
    internal sealed class CrashingService : BackgroundService
    {
        private readonly Faults _faults;
        private bool _stopped;

        public CrashingService(WorkloadContext context, Faults faults)
        {
            Context = context;
            _faults = faults;
            faults.Services.Enqueue(this);
        }

        public WorkloadContext Context { get; }

        public bool Stopped => Volatile.Read(ref _stopped);

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            Volatile.Write(ref _stopped, true);
            await base.StopAsync(cancellationToken);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.WhenAny(_faults.CrashOf(Context.WorkloadId, Context.NodeId), Task.Delay(Timeout.Infinite, stoppingToken));
            stoppingToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"{Context.WorkloadId} crashed on node {Context.NodeId}");
        }
    }
}
