using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// A campaign that asks for the session after it lapsed by the clock, but before its deadline
/// timer has fired, waits for the next session rather than spinning on the lapsed one.
/// </summary>
public sealed class CoordinatorSessionLapseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly UnreliableStore _store;
    private readonly ServiceProvider _services;

    public CoordinatorSessionLapseTests()
    {
        _store = new UnreliableStore(new InMemoryCoordinationStore(_time));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddFailover(o =>
        {
            o.NodeId = 1;
            o.Incarnation = 1;
        }).UseInMemoryNetwork(new InMemoryNetwork()).UseCoordinationStore(_store);
        _services = services.BuildServiceProvider();
    }

    private FailoverCoordinator Coordinator => _services.GetRequiredService<FailoverCoordinator>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task A_campaign_waiting_on_a_session_that_lapsed_by_the_clock_waits_for_the_next_one()
    {
        await Coordinator.StartAsync(CancellationToken.None);
        _store.Unreachable = true; // renewals and reads fail from now on
        using var stopCampaign = new CancellationTokenSource();
        Task campaign = Coordinator.RunAsOwnerAsync("w", _ => Task.CompletedTask, stopCampaign.Token);

        // In one step past the session's safe life (10 s - 2 s): the campaign's retry comes due
        // first, finds the session invalid by the clock and waits for it to end; the deadline
        // timer then ends it, and the campaign's wait is the first of its callbacks to run. A
        // campaign that spins there never lets the step return: it is stopped after a deadline.
        Task step = Task.Run(() => _time.Advance(TimeSpan.FromSeconds(9)));
        bool returned = await Task.WhenAny(step, Task.Delay(TimeSpan.FromSeconds(10))) == step;
        if (!returned)
        {
            await stopCampaign.CancelAsync();
            await step;
        }

        Assert.True(returned, "advancing past the session's deadline did not return: the campaign spun on the lapsed session");
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
        _store.Unreachable = false;
        await Task.Run(() => _time.Advance(TimeSpan.FromSeconds(10)));
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
        OwnershipTerm? term = Coordinator.GetTerm("w");
        Assert.NotNull(term);
        Assert.True(term.IsValid);
    }

    /// <summary>The in-memory store, with renewals and reads that fail while <see cref="Unreachable"/>.</summary>
    private sealed class UnreliableStore(InMemoryCoordinationStore inner) : ICoordinationStore
    {
        public bool Unreachable { get; set; }

        public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(timeToLive, cancellationToken);

        public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
            Unreachable ? ValueTask.FromException<bool>(new CoordinationUnavailableException("unreachable")) : inner.KeepAliveAsync(leaseId, cancellationToken);

        public ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

        public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default) =>
            Unreachable ? ValueTask.FromException<OwnershipRead>(new CoordinationUnavailableException("unreachable")) : inner.GetOwnerAsync(workloadId, cancellationToken);

        public ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken);

        public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => inner.TransferAsync(expected, nodeId, leaseId, cancellationToken);

        public ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default) => inner.ReleaseAsync(ownership, cancellationToken);

        public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default) => inner.JoinAsync(member, cancellationToken);

        public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default) => inner.GetMembersAsync(cancellationToken);

        public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(afterRevision, cancellationToken);
    }
}
