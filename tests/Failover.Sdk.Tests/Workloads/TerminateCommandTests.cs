using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Runners;
using Failover.Sdk.Swap;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// A Terminate command is always answered, whatever stopping the run runs into (two hosts,
/// in-memory network, a shared store, real time).
/// </summary>
public sealed class TerminateCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly InMemoryNetwork _network = new();
    private readonly InMemoryCoordinationStore _store = new(TimeProvider.System);
    private readonly KillOnCancelRunner _runner = new();
    private readonly List<IHost> _hosts = [];

    public async Task InitializeAsync()
    {
        foreach (uint id in new uint[] { 1, 2 })
        {
            HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddFailover(o =>
                {
                    o.NodeId = id;
                    o.HeartbeatInterval = TimeSpan.FromMilliseconds(20);
                    o.Peers.Add(new FailoverPeerOptions { NodeId = 3 - id });
                    o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(2);
                    o.Coordination.LeaseSafetyMargin = TimeSpan.FromMilliseconds(500);
                    o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(100);
                    // The monitor must not start a swap of its own while the test terminates the run.
                    o.Swap.MonitorReadyTimeout = TimeSpan.FromMinutes(10);
                })
                .UseInMemoryNetwork(_network)
                .UseCoordinationStore(_store)
                .AddTaskWorkload("w", (_, stop) => Task.Delay(Timeout.Infinite, stop), w =>
                {
                    w.HomeNode = 1;
                    w.Probe.Interval = TimeSpan.FromMilliseconds(50);
                    w.Probe.MissedProbes = 1000;
                });
            if (id == 1)
            {
                builder.Services.AddSingleton<IWorkloadRunner>(_runner);
            }

            _hosts.Add(builder.Build());
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
            await host.StopAsync().WaitAsync(Deadline);
            host.Dispose();
        }
    }

    public void Dispose() => _store.Dispose();

    private FailoverWorkloads Workloads(uint node) => _hosts[(int)node - 1].Services.GetRequiredService<FailoverWorkloads>();

    [Fact]
    public async Task A_terminate_is_answered_though_a_stop_callback_of_the_runner_throws()
    {
        await Eventually.TrueAsync(() => Workloads(1).GetRuns().Count == 1, "node 1 runs w");
        long token = Workloads(1).GetRuns()[0].FencingToken;

        var terminate = new Frame { Command = (byte)SwapCommand.Terminate, WorkloadId = WorkloadWireIds.Of("w"), FencingEpoch = (ulong)token };
        Frame? reply = await Workloads(2).Commands.SendAsync(1, terminate, TimeSpan.FromSeconds(3), CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal((byte)SwapCommandStatus.Done, reply?.CommandStatus);
        Assert.Equal((ulong)token, reply?.FencingEpoch);
        Assert.Empty(Workloads(1).GetRuns());
        Assert.Null((await _store.GetOwnerAsync("w")).Owner);
        Assert.Equal(1, _runner.Kills);
    }

    /// <summary>
    /// Like a process runner that kills its process from a cancellation callback: the kill
    /// throws when the process has just gone by itself.
    /// </summary>
    private sealed class KillOnCancelRunner : IWorkloadRunner
    {
        private int _kills;

        public int Kills => Volatile.Read(ref _kills);

        public WorkloadKind Kind => WorkloadKind.Task;

        public ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken)
        {
            var instance = new Instance(launch);
            cancellationToken.Register(() =>
            {
                Interlocked.Increment(ref _kills);
                throw new InvalidOperationException("No process is associated with this object.");
            });
            return ValueTask.FromResult<IWorkloadInstance>(instance);
        }

        private sealed class Instance(WorkloadLaunch launch) : IWorkloadInstance
        {
            private readonly TaskCompletionSource<WorkloadExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public string WorkloadId => launch.Workload.Id;

            public long FencingToken => launch.FencingToken;

            public int? ProcessId => null;

            public Task<WorkloadExit> Exited => _exited.Task;

            public void Probe(UInt128 key) => launch.Signals.OnProbeAnswered(key, ProbeDigest.Compute(launch.Workload.ProbeSecret, launch.Workload.WireId, key));

            public Task<WorkloadExit> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
            {
                _exited.TrySetResult(new WorkloadExit(WorkloadExitKind.Stopped, null, "stopped"));
                return _exited.Task;
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
