using Failover.Sdk.Coordination;
using Failover.Sdk.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Failover.Sdk.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>The coordinator's campaigns and leases, two nodes on one in-memory store, in virtual time.</summary>
public sealed class FailoverCoordinatorTests : IDisposable
{
    private const string Workload = "billing";
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryCoordinationStore _store;

    public FailoverCoordinatorTests() => _store = new InMemoryCoordinationStore(_time);

    public void Dispose() => _store.Dispose();

    private async Task<(CoordinatedNode Owner, CoordinatedNode Other)> TwoNodesCampaigningAsync(CoordinatedNode a, CoordinatedNode b)
    {
        await a.StartAsync();
        await b.StartAsync();
        a.Campaign(Workload, _time);
        b.Campaign(Workload, _time);
        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => a.Running is not null || b.Running is not null, "one node owns the workload");
        return a.Running is not null ? (a, b) : (b, a);
    }

    [Fact]
    public async Task Exactly_one_node_runs_the_workload_and_both_are_members()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        (CoordinatedNode owner, CoordinatedNode other) = await TwoNodesCampaigningAsync(a, b);

        // Many renewals later, still one owner, the same term.
        for (int i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Null(other.Running);
        Assert.Single(owner.Terms);
        Assert.True(owner.Running!.Term.IsValid);
        Assert.Equal(owner.Running.Term, owner.Coordinator.GetTerm(Workload));
        Assert.Equal(owner.Id, (await _store.GetOwnerAsync(Workload)).Owner!.NodeId);
        Assert.Equal([1u, 2u], (await _store.GetMembersAsync()).Members.Select(m => m.NodeId));
    }

    [Fact]
    public async Task A_stopping_owner_hands_over_at_once_and_the_new_owner_holds_a_larger_token()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        (CoordinatedNode owner, CoordinatedNode other) = await TwoNodesCampaigningAsync(a, b);
        long firstToken = owner.Running!.Term.FencingToken;
        DateTimeOffset stoppedAt = _time.GetUtcNow();

        await owner.Coordinator.StopAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => other.Running is not null, "the other node takes over without waiting for the lease");

        Assert.Equal(stoppedAt, other.Running!.Started); // no virtual time passed: the lease was revoked
        Assert.True(other.Running.Term.FencingToken > firstToken);
        Assert.NotNull(owner.Terms.Single().Ended);
        Assert.Equal([other.Id], (await _store.GetMembersAsync()).Members.Select(m => m.NodeId));
    }

    [Fact]
    public async Task An_owner_cut_from_the_store_stops_before_its_lease_can_expire_and_the_other_starts_only_after()
    {
        static void Options(Failover.Sdk.Configuration.FailoverCoordinationOptions o)
        {
            o.LeaseTimeToLive = TimeSpan.FromSeconds(10);
            o.LeaseSafetyMargin = TimeSpan.FromSeconds(2);
        }

        await using var a = new CoordinatedNode(1, _store, _time, Options);
        await using var b = new CoordinatedNode(2, _store, _time, Options);
        (CoordinatedNode owner, CoordinatedNode other) = await TwoNodesCampaigningAsync(a, b);
        _time.Advance(TimeSpan.FromSeconds(5)); // a renewal or two
        await Task.Yield();

        DateTimeOffset started0 = owner.Running!.Started;
        owner.Store.IsCut = true;
        await VirtualTime.AdvanceUntilAsync(_time, Step, 300, () => other.Running is not null, "the other node takes over");

        // Read only now: a renewal already past the cut when it was made still counts.
        DateTimeOffset lastRenewal = owner.Store.Renewals.Count > 0 ? owner.Store.Renewals[^1] : started0;

        DateTimeOffset stopped = owner.Terms.Single().Ended!.Value;
        DateTimeOffset started = other.Running!.Started;
        Assert.True(stopped <= lastRenewal + TimeSpan.FromSeconds(8), $"stopped {stopped - lastRenewal} after the last renewal reached the store; its safe life is 8 s");
        Assert.True(started >= lastRenewal + TimeSpan.FromSeconds(10), $"started {started - lastRenewal} after the last renewal; the lease lives 10 s");
        Assert.True(started - stopped >= TimeSpan.FromSeconds(2) - Step, $"the gap is {started - stopped}; the margin is 2 s");
        Assert.False(owner.Terms.Single().Term.IsValid);
        Assert.True(other.Running.Term.FencingToken > owner.Terms.Single().Term.FencingToken);
    }

    [Fact]
    public async Task A_node_whose_store_comes_back_campaigns_again_under_a_new_lease()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        (CoordinatedNode owner, CoordinatedNode other) = await TwoNodesCampaigningAsync(a, b);
        long lostLease = owner.Coordinator.LeaseId!.Value;
        owner.Store.IsCut = true;
        await VirtualTime.AdvanceUntilAsync(_time, Step, 300, () => other.Running is not null, "the other node takes over");

        owner.Store.IsCut = false;
        await VirtualTime.AdvanceUntilAsync(_time, Step, 100, () => owner.Coordinator.LeaseId is { } id && id != lostLease, "the cut node gets a new lease");

        Assert.Null(owner.Running);
        Assert.Contains(owner.Id, (await _store.GetMembersAsync()).Members.Select(m => m.NodeId));
        await other.Coordinator.StopAsync(CancellationToken.None);
        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => owner.Running is not null, "the node that came back takes the workload when the other leaves");
    }

    [Fact]
    public async Task A_lost_lease_and_the_ownership_it_ended_are_metered()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        await a.StartAsync();
        using var lost = new MetricCollector<long>(a.Meters, FailoverMetrics.MeterName, "failover.lease.lost");
        using var acquired = new MetricCollector<long>(a.Meters, FailoverMetrics.MeterName, "failover.ownership.acquired");
        using var held = new MetricCollector<long>(a.Meters, FailoverMetrics.MeterName, "failover.ownership.held");
        a.Campaign(Workload, _time);
        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => a.Running is not null, "node 1 owns the workload");
        Assert.Equal(1, held.GetMeasurementSnapshot().Sum(m => m.Value));

        a.Store.IsCut = true;
        await VirtualTime.AdvanceUntilAsync(_time, Step, 200, () => a.Terms[0].Ended is not null, "node 1 gives the workload up");

        await Eventually.TrueAsync(() => held.GetMeasurementSnapshot().Sum(m => m.Value) == 0, "the ownership no longer counts as held");
        Assert.Equal(1, lost.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, acquired.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task A_workload_that_throws_releases_the_ownership_to_another_node()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        await a.StartAsync();
        await b.StartAsync();
        a.Campaign(Workload, _time, _ => throw new InvalidOperationException("broken on node 1"));
        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => a.Terms.Count > 0, "node 1 owns the workload first");
        b.Campaign(Workload, _time);

        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => b.Running is not null, "node 2 takes over from the failing node");

        Assert.True(b.Running!.Term.FencingToken > a.Terms[0].Term.FencingToken);
        Assert.Null(a.Coordinator.GetTerm(Workload));
    }

    [Fact]
    public async Task An_owner_that_loses_only_its_renewals_does_not_revoke_so_the_other_waits_out_the_margin()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        (CoordinatedNode owner, CoordinatedNode other) = await TwoNodesCampaigningAsync(a, b);

        owner.Store.DropRenewals = true; // reads, claims and revocations still get through
        await VirtualTime.AdvanceUntilAsync(_time, Step, 300, () => other.Running is not null, "the other node takes over");

        DateTimeOffset stopped = owner.Terms.Single().Ended!.Value;
        Assert.True(other.Running!.Started - stopped >= TimeSpan.FromSeconds(2) - Step, $"the other started {other.Running.Started - stopped} after the owner stopped; the margin is 2 s");
    }

    [Fact]
    public async Task One_lost_renewal_with_the_default_options_costs_nothing()
    {
        await using var a = new CoordinatedNode(1, _store, _time, o => o.RequestTimeout = TimeSpan.FromSeconds(5));
        await a.StartAsync();
        a.Campaign(Workload, _time);
        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => a.Running is not null, "node 1 owns the workload");

        a.Store.DropNextRenewals = 1;
        for (int i = 0; i < 300; i++)
        {
            _time.Advance(Step);
            await Task.Yield();
        }

        Assert.Single(a.Terms);
        Assert.Null(a.Terms[0].Ended);
        Assert.True(a.Terms[0].Term.IsValid);
    }

    [Fact]
    public async Task A_throwing_Ended_handler_is_contained_and_the_node_leases_again()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await using var b = new CoordinatedNode(2, _store, _time);
        await a.StartAsync();
        int terms = 0;
        a.Campaign(Workload, _time, term =>
        {
            // Only in the first term: a handler's exception reaches whoever cancels, and at the
            // end of the test that is the test itself, stopping the campaign.
            if (Interlocked.Increment(ref terms) == 1)
            {
                term.Ended.Register(() => throw new InvalidOperationException("a careless handler"));
            }

            return Task.CompletedTask;
        });
        await VirtualTime.AdvanceUntilAsync(_time, Step, 50, () => a.Running is not null, "node 1 owns the workload");
        long firstLease = a.Coordinator.LeaseId!.Value;
        await b.StartAsync();
        b.Campaign(Workload, _time);

        a.Store.DropRenewals = true;
        await VirtualTime.AdvanceUntilAsync(_time, Step, 300, () => b.Running is not null, "node 2 takes over");
        a.Store.DropRenewals = false;
        await VirtualTime.AdvanceUntilAsync(_time, Step, 100, () => a.Coordinator.LeaseId is { } id && id != firstLease, "node 1 holds a new lease");

        Assert.NotNull(a.Terms.Single().Ended);
    }

    [Fact]
    public async Task A_second_campaign_for_the_same_workload_on_one_node_is_refused()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        await a.StartAsync();
        a.Campaign(Workload, _time);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => a.Coordinator.RunAsOwnerAsync(Workload, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains("already campaigns for workload 'billing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_workload_id_is_refused_with_the_rule()
    {
        await using var a = new CoordinatedNode(1, _store, _time);
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => a.Coordinator.RunAsOwnerAsync("no spaces", _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains("only ASCII letters", error.Message, StringComparison.Ordinal);
    }
}
