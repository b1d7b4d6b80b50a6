using Failover.Sdk.Coordination;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// What every <see cref="ICoordinationStore"/> must do, run against each implementation:
/// the in-memory store (here, in virtual time) and etcd (in Failover.Sdk.Etcd.Tests, which
/// links this file, against a real server).
/// </summary>
/// <remarks>
/// Skippable: a store whose server is missing (no etcd binary) skips with the reason, which
/// CI's FAILOVER_REQUIRE_ALL=1 turns into a failure.
/// Time passes through <see cref="ElapseAsync"/>: a fake clock advances, or a real store
/// is waited on until a probe lease of that length has expired in it. No test sleeps.
/// </remarks>
public abstract class CoordinationStoreContract : IAsyncLifetime
{
    private ICoordinationStore? _store;

    /// <summary>The store under test, fresh (or isolated) for each test.</summary>
    protected ICoordinationStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>The shortest lease the store grants without rounding it up much (etcd: whole seconds, at least 2).</summary>
    protected abstract TimeSpan ShortLease { get; }

    /// <summary>How long an expired lease may linger in the store before it is removed (etcd checks every 500 ms).</summary>
    protected abstract TimeSpan ExpirySlack { get; }

    /// <summary>A unique workload id for this test, so tests can share one store.</summary>
    protected string Workload(string name) => $"{Prefix}{name}";

    /// <summary>Prefix for this test's ids.</summary>
    protected virtual string Prefix => string.Empty;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<ICoordinationStore> CreateStoreAsync();

    /// <summary>Lets at least <paramref name="span"/> of the store's time pass.</summary>
    protected abstract Task ElapseAsync(TimeSpan span);

    [SkippableFact]
    public async Task A_lease_is_granted_at_least_as_long_as_asked()
    {
        CoordinationLease lease = await Store.GrantLeaseAsync(ShortLease);
        Assert.True(lease.TimeToLive >= ShortLease, $"granted {lease.TimeToLive}, asked {ShortLease}");
        Assert.True(await Store.KeepAliveAsync(lease.Id));
    }

    [SkippableFact]
    public async Task A_revoked_lease_cannot_be_kept_alive_or_used()
    {
        CoordinationLease lease = await Store.GrantLeaseAsync(ShortLease);
        await Store.RevokeLeaseAsync(lease.Id);

        Assert.False(await Store.KeepAliveAsync(lease.Id));
        await Assert.ThrowsAsync<LeaseExpiredException>(async () => await Store.TryAcquireAsync(Workload("w"), 1, lease.Id));
        await Assert.ThrowsAsync<LeaseExpiredException>(async () => await Store.JoinAsync(new ClusterMember(1, 1, lease.Id)));
        await Store.RevokeLeaseAsync(lease.Id); // twice is harmless
    }

    [SkippableFact]
    public async Task Of_two_contenders_one_wins_and_the_other_learns_who()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        CoordinationLease b = await Store.GrantLeaseAsync(ShortLease);

        OwnershipClaim first = await Store.TryAcquireAsync(Workload("w"), 1, a.Id);
        OwnershipClaim second = await Store.TryAcquireAsync(Workload("w"), 2, b.Id);

        Assert.True(first.Succeeded);
        Assert.Equal(new OwnershipRecord(Workload("w"), 1, a.Id, first.Owner!.FencingToken), first.Owner);
        Assert.False(second.Succeeded);
        Assert.Equal(first.Owner, second.Owner);
        Assert.Equal(first.Owner, (await Store.GetOwnerAsync(Workload("w"))).Owner);
    }

    [SkippableFact]
    public async Task Of_many_concurrent_contenders_exactly_one_wins()
    {
        CoordinationLease[] leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await Store.GrantLeaseAsync(ShortLease)));
        OwnershipClaim[] claims = await Task.WhenAll(leases.Select(async (l, i) => await Store.TryAcquireAsync(Workload("race"), (uint)(i + 1), l.Id)));

        OwnershipClaim winner = Assert.Single(claims, c => c.Succeeded);
        Assert.All(claims, c => Assert.Equal(winner.Owner!.FencingToken, c.Owner!.FencingToken));
    }

    [SkippableFact]
    public async Task The_fencing_token_grows_at_every_ownership_change()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        CoordinationLease b = await Store.GrantLeaseAsync(ShortLease);
        var tokens = new List<long>();

        OwnershipClaim claim = await Store.TryAcquireAsync(Workload("w"), 1, a.Id);
        tokens.Add(claim.Owner!.FencingToken);
        Assert.True(await Store.ReleaseAsync(claim.Owner));
        claim = await Store.TryAcquireAsync(Workload("w"), 2, b.Id);
        tokens.Add(claim.Owner!.FencingToken);
        claim = await Store.TransferAsync(claim.Owner, 1, a.Id);
        Assert.True(claim.Succeeded);
        tokens.Add(claim.Owner!.FencingToken);
        await Store.RevokeLeaseAsync(a.Id);
        claim = await Store.TryAcquireAsync(Workload("w"), 2, b.Id);
        Assert.True(claim.Succeeded);
        tokens.Add(claim.Owner!.FencingToken);

        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [SkippableFact]
    public async Task A_transfer_or_release_based_on_a_stale_ownership_does_nothing()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        CoordinationLease b = await Store.GrantLeaseAsync(ShortLease);
        OwnershipRecord old = (await Store.TryAcquireAsync(Workload("w"), 1, a.Id)).Owner!;
        OwnershipRecord current = (await Store.TransferAsync(old, 2, b.Id)).Owner!;

        OwnershipClaim staleTransfer = await Store.TransferAsync(old, 1, a.Id);
        bool staleRelease = await Store.ReleaseAsync(old);

        Assert.False(staleTransfer.Succeeded);
        Assert.Equal(current, staleTransfer.Owner);
        Assert.False(staleRelease);
        Assert.Equal(current, (await Store.GetOwnerAsync(Workload("w"))).Owner);
        Assert.True(current.FencingToken > old.FencingToken);
    }

    [SkippableFact]
    public async Task An_ownership_ends_when_its_lease_is_revoked_and_a_watch_sees_it()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        OwnershipClaim claim = await Store.TryAcquireAsync(Workload("w"), 1, a.Id);

        await Store.RevokeLeaseAsync(a.Id);

        CoordinationEvent removed = await WaitForAsync(claim.Revision, e => e.WorkloadId == Workload("w"), TimeSpan.FromSeconds(10));
        Assert.Equal(CoordinationEventKind.OwnerRemoved, removed.Kind);
        Assert.Null((await Store.GetOwnerAsync(Workload("w"))).Owner);
    }

    [SkippableFact]
    public async Task A_lease_not_kept_alive_expires_and_frees_its_workload_for_another_node()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        CoordinationLease b = await Store.GrantLeaseAsync(ShortLease * 4);
        OwnershipClaim first = await Store.TryAcquireAsync(Workload("w"), 1, a.Id);

        await ElapseAsync(a.TimeToLive + ExpirySlack);
        CoordinationEvent removed = await WaitForAsync(first.Revision, e => e.WorkloadId == Workload("w"), TimeSpan.FromSeconds(10));
        OwnershipClaim second = await Store.TryAcquireAsync(Workload("w"), 2, b.Id);

        Assert.Equal(CoordinationEventKind.OwnerRemoved, removed.Kind);
        Assert.False(await Store.KeepAliveAsync(a.Id));
        Assert.True(second.Succeeded);
        Assert.True(second.Owner!.FencingToken > first.Owner!.FencingToken);
    }

    [SkippableFact]
    public async Task A_lease_kept_alive_outlives_its_time_to_live()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease + ShortLease);
        OwnershipClaim claim = await Store.TryAcquireAsync(Workload("w"), 1, a.Id);

        for (int i = 0; i < 3; i++)
        {
            await ElapseAsync(ShortLease);
            Assert.True(await Store.KeepAliveAsync(a.Id), $"renewal {i}");
        }

        Assert.Equal(claim.Owner, (await Store.GetOwnerAsync(Workload("w"))).Owner);
    }

    [SkippableFact]
    public async Task Members_are_listed_by_node_replaced_on_rejoin_and_leave_with_their_lease()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        CoordinationLease b = await Store.GrantLeaseAsync(ShortLease);
        CoordinationLease c = await Store.GrantLeaseAsync(ShortLease);
        uint n1 = NodeBase + 2, n2 = NodeBase + 1;
        await Store.JoinAsync(new ClusterMember(n1, 10, a.Id));
        await Store.JoinAsync(new ClusterMember(n2, 20, b.Id));
        long rejoined = await Store.JoinAsync(new ClusterMember(n1, 11, c.Id));

        MembershipRead read = await Store.GetMembersAsync();
        Assert.Equal([new ClusterMember(n2, 20, b.Id), new ClusterMember(n1, 11, c.Id)], read.Members.Where(m => m.NodeId > NodeBase));

        await Store.RevokeLeaseAsync(a.Id); // the old entry's lease: no effect on the new one
        await Store.RevokeLeaseAsync(c.Id);
        CoordinationEvent left = await WaitForAsync(rejoined, e => e.Kind == CoordinationEventKind.MemberLeft, TimeSpan.FromSeconds(10));
        Assert.Equal(n1, left.NodeId);
        Assert.Equal([new ClusterMember(n2, 20, b.Id)], (await Store.GetMembersAsync()).Members.Where(m => m.NodeId > NodeBase));
    }

    [SkippableFact]
    public async Task A_watch_from_a_read_revision_misses_nothing_that_came_after()
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        OwnershipRead start = await Store.GetOwnerAsync(Workload("w"));
        OwnershipRecord first = (await Store.TryAcquireAsync(Workload("w"), 1, a.Id)).Owner!;
        OwnershipRecord second = (await Store.TransferAsync(first, 2, a.Id)).Owner!;
        await Store.ReleaseAsync(second);

        var seen = new List<CoordinationEvent>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (CoordinationEvent change in Store.WatchAsync(start.Revision, deadline.Token))
        {
            if (change.WorkloadId == Workload("w"))
            {
                seen.Add(change);
            }

            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([CoordinationEventKind.OwnerSet, CoordinationEventKind.OwnerSet, CoordinationEventKind.OwnerRemoved], seen.Select(e => e.Kind));
        Assert.Equal([first, second], seen.Take(2).Select(e => e.Owner));
        Assert.Equal(seen.Select(e => e.Revision).Order(), seen.Select(e => e.Revision));
        Assert.Equal(first.FencingToken, seen[0].Revision);
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("ünïcode")]
    public async Task A_bad_workload_id_is_refused_before_it_reaches_the_store(string id)
    {
        CoordinationLease a = await Store.GrantLeaseAsync(ShortLease);
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(async () => await Store.TryAcquireAsync(Prefix + id, 1, a.Id));
        Assert.Contains("Workload id", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Node ids this test may use start above this, so tests sharing a store do not meet.</summary>
    protected virtual uint NodeBase => 0;

    /// <summary>Watches from <paramref name="afterRevision"/> for the first change that matches, up to a real-time deadline.</summary>
    protected async Task<CoordinationEvent> WaitForAsync(long afterRevision, Func<CoordinationEvent, bool> match, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await foreach (CoordinationEvent change in Store.WatchAsync(afterRevision, timeout.Token))
            {
                if (match(change))
                {
                    return change;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        throw new Xunit.Sdk.XunitException($"No matching change after revision {afterRevision} within {deadline}.");
    }
}
