using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>
/// A claim the store carried out but whose answer was lost (a request that timed out after the
/// store had done it, as etcd's can) must not leave the workload owned by a node that does not
/// run it: under that node's live lease nobody else could ever claim it.
/// </summary>
public sealed class LostClaimAnswerTests : IAsyncLifetime, IDisposable
{
    private readonly InMemoryCoordinationStore _inner = new(TimeProvider.System);
    private readonly LosesFirstClaimAnswer _store;
    private IHost? _host;

    public LostClaimAnswerTests() => _store = new LosesFirstClaimAnswer(_inner);

    public async Task InitializeAsync()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o => o.NodeId = 1)
            .UseInMemoryNetwork(new InMemoryNetwork())
            .UseCoordinationStore(_store)
            .AddTaskWorkload("w", (_, stop) => Task.Delay(Timeout.Infinite, stop));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            _host.Dispose();
        }
    }

    public void Dispose() => _inner.Dispose();

    [Fact]
    public async Task A_start_whose_claim_answer_was_lost_runs_the_workload_it_does_own()
    {
        var workloads = _host!.Services.GetRequiredService<FailoverWorkloads>();

        await Eventually.TrueAsync(() => workloads.GetRuns().Count == 1, "node 1 runs w, which the store says it owns");

        Assert.Equal(1, _store.LostAnswers);
        OwnershipRecord? owner = (await _inner.GetOwnerAsync("w")).Owner;
        Assert.Equal(1u, owner?.NodeId);
        Assert.Equal(owner?.FencingToken, workloads.GetRuns()[0].FencingToken);
    }

    /// <summary>The in-memory store, but the first claim's answer is lost after the claim took effect.</summary>
    private sealed class LosesFirstClaimAnswer(InMemoryCoordinationStore inner) : ICoordinationStore
    {
        private int _lost;

        public int LostAnswers => Volatile.Read(ref _lost);

        public async ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
        {
            OwnershipClaim claim = await inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken);
            if (claim.Succeeded && Interlocked.CompareExchange(ref _lost, 1, 0) == 0)
            {
                throw new CoordinationUnavailableException("The coordination store did not answer an ownership claim within 5000 ms.");
            }

            return claim;
        }

        public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(timeToLive, cancellationToken);

        public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) => inner.KeepAliveAsync(leaseId, cancellationToken);

        public ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

        public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default) => inner.GetOwnerAsync(workloadId, cancellationToken);

        public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => inner.TransferAsync(expected, nodeId, leaseId, cancellationToken);

        public ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default) => inner.ReleaseAsync(ownership, cancellationToken);

        public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default) => inner.JoinAsync(member, cancellationToken);

        public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default) => inner.GetMembersAsync(cancellationToken);

        public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(afterRevision, cancellationToken);
    }
}
