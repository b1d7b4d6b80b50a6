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
/// A run that ended by itself is gone from its node before its ownership is released in the
/// store. The swap's terminate must be answered only once it is released, or the node the
/// workload moves to finds it still owned by the old node and has to wait and ask again.
/// Two real hosts in one process, frames delivered on pool threads as a real network's arrive;
/// node 1's way to the shared store takes long to release.
/// </summary>
public sealed class TerminateAfterReleaseTests : IAsyncLifetime, IDisposable
{
    private const string Workload = "alpha";
    private static readonly TimeSpan ReleaseDelay = TimeSpan.FromMilliseconds(600);
    private readonly InMemoryNetwork _network = new PooledCarrier().Network;
    private readonly InMemoryCoordinationStore _store = new(TimeProvider.System);
    private readonly TaskCompletionSource _crash = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IHost> _hosts = [];

    public async Task InitializeAsync()
    {
        _hosts.Add(Node(1, new SlowReleaseStore(_store, ReleaseDelay)));
        _hosts.Add(Node(2, _store));
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

    public void Dispose() => _store.Dispose();

    private IHost Node(uint id, ICoordinationStore store)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o =>
            {
                o.NodeId = id;
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(20);
                o.MissedHeartbeats = 10;
                o.Peers.Add(new FailoverPeerOptions { NodeId = 3 - id });
                o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(4);
                o.Coordination.LeaseSafetyMargin = TimeSpan.FromSeconds(1);
                // Longer than the release takes, so a terminate answered early would be seen
                // as a second start attempt, not as a slower first one.
                o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(200);
                o.Swap.CommandAttempts = 10;
            })
            .UseInMemoryNetwork(_network)
            .UseCoordinationStore(store)
            .AddTaskWorkload(Workload, CrashOnNodeOneAsync, w =>
            {
                w.HomeNode = 1;
                w.Probe.Interval = TimeSpan.FromMilliseconds(50);
                w.Probe.MissedProbes = 3;
            });
        return builder.Build();
    }

    private async Task CrashOnNodeOneAsync(WorkloadContext context, CancellationToken stop)
    {
        if (context.NodeId == 1)
        {
            await Task.WhenAny(_crash.Task, Task.Delay(Timeout.Infinite, stop));
            stop.ThrowIfCancellationRequested();
            throw new InvalidOperationException("crashed on purpose");
        }

        await Task.Delay(Timeout.Infinite, stop);
    }

    private FailoverWorkloads Workloads(uint node) => _hosts[(int)node - 1].Services.GetRequiredService<FailoverWorkloads>();

    [Fact]
    public async Task The_terminate_of_a_run_that_ended_by_itself_is_answered_once_its_ownership_is_released()
    {
        await Eventually.TrueAsync(() => Workloads(2).GetMonitors().Any(m => m.WorkloadId == Workload && m.RunnerNode == 1 && m.IsOperational), "node 2 watches alpha on node 1");
        await Eventually.TrueAsync(() => _hosts.All(h => h.Services.GetRequiredService<FailoverAgent>().GetPeers().All(p => p.State == PeerState.Up)), "each node sees the other up");
        var completed = new TaskCompletionSource<WorkloadSwapRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        Workloads(2).SwapCompleted += (_, record) => completed.TrySetResult(record);

        _crash.SetResult();
        WorkloadSwapRecord swap = await completed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        string steps = string.Join(" | ", swap.Steps.Select(s => $"{s.Step} {s.Node}: {s.Detail}"));
        Assert.True(swap.Completed, steps);
        Assert.Equal(2u, swap.ToNode);
        WorkloadSwapEvent terminated = Assert.Single(swap.Steps, s => s.Step == WorkloadSwapStep.Terminated);
        WorkloadSwapEvent terminating = Assert.Single(swap.Steps, s => s.Step == WorkloadSwapStep.Terminating);
        // Node 1 answered only after its slow release...
        Assert.True(terminated.At - terminating.At >= ReleaseDelay / 2, $"terminated {(terminated.At - terminating.At).TotalMilliseconds:F0} ms after the command: {steps}");
        // ...so node 2's first claim found the workload free.
        Assert.True(swap.Steps.Count(s => s.Step == WorkloadSwapStep.Starting) == 1, steps);
    }

    /// <summary>
    /// Delivers every frame on a pool thread, as a socket's receive loop would: without it the
    /// in-memory network delivers on the sending thread, and the swap's terminate would reach
    /// node 1 while the run that just ended is still unwinding on that very thread.
    /// </summary>
    private sealed class PooledCarrier : IInMemoryFrameCarrier
    {
        public PooledCarrier()
        {
            Network = new InMemoryNetwork(this);
        }

        public InMemoryNetwork Network { get; }

        public void Carry(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame)
        {
            byte[] copy = frame.ToArray();
            ThreadPool.QueueUserWorkItem(_ => Network.Deliver(sender, target, pathId, copy));
        }
    }

    /// <summary>A node's way to the shared store on which releasing an ownership takes a while.</summary>
    private sealed class SlowReleaseStore(ICoordinationStore inner, TimeSpan delay) : ICoordinationStore
    {
        public async ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return await inner.ReleaseAsync(ownership, cancellationToken);
        }

        public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(timeToLive, cancellationToken);

        public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) => inner.KeepAliveAsync(leaseId, cancellationToken);

        public ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

        public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default) => inner.GetOwnerAsync(workloadId, cancellationToken);

        public ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken);

        public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => inner.TransferAsync(expected, nodeId, leaseId, cancellationToken);

        public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default) => inner.JoinAsync(member, cancellationToken);

        public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default) => inner.GetMembersAsync(cancellationToken);

        public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(afterRevision, cancellationToken);
    }
}
