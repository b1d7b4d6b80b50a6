using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// A session that lapses by the clock while a campaign is at work: a campaign that asks for the
/// session after it lapsed, but before its deadline timer has fired, waits for the next session
/// rather than spinning on the lapsed one; a claim answered after it lapsed starts no term.
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
            o.Coordination.RequestTimeout = TimeSpan.FromSeconds(20); // a held claim outlives the session, not the request
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
        _store.RenewalsFail = _store.ReadsFail = true;
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
        _store.RenewalsFail = _store.ReadsFail = false;
        await Task.Run(() => _time.Advance(TimeSpan.FromSeconds(10)));
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
        OwnershipTerm? term = Coordinator.GetTerm("w");
        Assert.NotNull(term);
        Assert.True(term.IsValid);
    }

    [Fact]
    public async Task A_claim_answered_after_the_session_lapsed_starts_no_term()
    {
        SynchronizationContext.SetSynchronizationContext(null); // continuations inline, as in the simulator
        await Coordinator.StartAsync(CancellationToken.None);
        _store.RenewalsFail = true;
        _store.HoldClaims = true;
        int runs = 0;
        using var stopCampaign = new CancellationTokenSource();
        Task campaign = Coordinator.RunAsOwnerAsync("w", term =>
        {
            runs++;
            Assert.True(term.IsValid);
            return Task.CompletedTask;
        }, stopCampaign.Token);
        Assert.Equal(1, _store.HeldClaims); // the claim is on its way

        _time.Advance(TimeSpan.FromSeconds(9)); // past the session's safe life (10 s - 2 s), before the lease's 10 s
        _store.ReleaseClaims(); // the store's answer, from before the lapse: node 1 became the owner

        Assert.Equal(0, runs);
        Assert.Null(Coordinator.GetTerm("w"));

        // The next session claims again (its answer held too, until now) and runs the workload.
        _store.RenewalsFail = _store.HoldClaims = false;
        _store.ReleaseClaims();
        for (int second = 0; second < 12 && runs == 0; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, runs);
        Assert.True(Coordinator.GetTerm("w")?.IsValid);
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
    }

    /// <summary>The in-memory store, with renewals and reads that fail, and claims whose answers wait, on demand.</summary>
    private sealed class UnreliableStore(InMemoryCoordinationStore inner) : ICoordinationStore
    {
        private readonly List<Action> _heldClaims = [];

        public bool RenewalsFail { get; set; }

        public bool ReadsFail { get; set; }

        public bool HoldClaims { get; set; }

        public int HeldClaims => _heldClaims.Count;

        /// <summary>The answers to the held claims come back now.</summary>
        public void ReleaseClaims()
        {
            Action[] held = [.. _heldClaims];
            _heldClaims.Clear();
            foreach (Action claim in held)
            {
                claim();
            }
        }

        public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(timeToLive, cancellationToken);

        public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
            RenewalsFail ? ValueTask.FromException<bool>(new CoordinationUnavailableException("unreachable")) : inner.KeepAliveAsync(leaseId, cancellationToken);

        public ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(leaseId, cancellationToken);

        public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default) =>
            ReadsFail ? ValueTask.FromException<OwnershipRead>(new CoordinationUnavailableException("unreachable")) : inner.GetOwnerAsync(workloadId, cancellationToken);

        public ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
        {
            if (!HoldClaims)
            {
                return inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken);
            }

            // The store acts on the claim now; only its answer is slow to come back.
            OwnershipClaim claim = inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken).AsTask().GetAwaiter().GetResult();
            var answer = new TaskCompletionSource<OwnershipClaim>();
            _heldClaims.Add(() => answer.TrySetResult(claim));
            return new ValueTask<OwnershipClaim>(answer.Task);
        }

        public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => inner.TransferAsync(expected, nodeId, leaseId, cancellationToken);

        public ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default) => inner.ReleaseAsync(ownership, cancellationToken);

        public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default) => inner.JoinAsync(member, cancellationToken);

        public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default) => inner.GetMembersAsync(cancellationToken);

        public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default) => inner.WatchAsync(afterRevision, cancellationToken);
    }
}
