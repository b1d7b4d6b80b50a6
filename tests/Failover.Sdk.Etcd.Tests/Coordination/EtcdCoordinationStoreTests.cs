using dotnet_etcd;
using Etcdserverpb;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Tests.Support;
using Google.Protobuf;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>
/// The etcd store beyond the contract, against a real etcd: a lease held, lost and replaced;
/// what etcd's rounding, compaction, watch and stored values look like through the store.
/// (Outages: <see cref="EtcdOutageTests"/>.)
/// </summary>
public sealed class EtcdCoordinationStoreTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task An_owner_renews_then_loses_its_lease_and_only_a_new_lease_can_acquire_again_with_a_larger_token()
    {
        await using EtcdCoordinationStore store = NewStore(etcd.Server.ClientUrl);
        using EtcdClient probe = etcd.NewClient();
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(4));
        OwnershipClaim first = await store.TryAcquireAsync("report", 1, lease.Id);
        Assert.True(first.Succeeded);

        // Renewed every 2 s (etcd's shortest probe) across more than its time to live: still the owner.
        for (int i = 0; i < 3; i++)
        {
            await EtcdProbe.ElapseAsync(probe, TimeSpan.FromSeconds(2));
            Assert.True(await store.KeepAliveAsync(lease.Id), $"renewal {i}");
        }

        Assert.Equal(first.Owner, (await store.GetOwnerAsync("report")).Owner);

        // Not renewed: etcd ends the lease and the ownership with it.
        CoordinationEvent removed = await FirstAsync(store, first.Revision, e => e.WorkloadId == "report");
        Assert.Equal(CoordinationEventKind.OwnerRemoved, removed.Kind);
        Assert.Equal(first.Owner, removed.Owner);
        Assert.False(await store.KeepAliveAsync(lease.Id));
        LeaseExpiredException expired = await Assert.ThrowsAsync<LeaseExpiredException>(async () => await store.TryAcquireAsync("report", 1, lease.Id));
        Assert.Contains(lease.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), expired.Message, StringComparison.Ordinal);

        CoordinationLease next = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2));
        OwnershipClaim again = await store.TryAcquireAsync("report", 1, next.Id);
        Assert.True(again.Succeeded);
        Assert.True(again.Owner!.FencingToken > first.Owner!.FencingToken);
        await store.RevokeLeaseAsync(next.Id);
    }

    [SkippableFact]
    public async Task A_lease_is_granted_in_whole_seconds_rounded_up_and_at_least_etcds_minimum()
    {
        await using EtcdCoordinationStore store = NewStore(etcd.Server.ClientUrl);

        CoordinationLease rounded = await store.GrantLeaseAsync(TimeSpan.FromMilliseconds(2100));
        CoordinationLease minimum = await store.GrantLeaseAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal(TimeSpan.FromSeconds(3), rounded.TimeToLive);
        Assert.Equal(TimeSpan.FromSeconds(2), minimum.TimeToLive);
        await store.RevokeLeaseAsync(rounded.Id);
        await store.RevokeLeaseAsync(minimum.Id);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GrantLeaseAsync(TimeSpan.Zero));
    }

    [SkippableFact]
    public async Task A_watch_reports_what_was_removed_and_who_left()
    {
        await using EtcdCoordinationStore store = NewStore(etcd.Server.ClientUrl);
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30));
        OwnershipRead start = await store.GetOwnerAsync("report");
        OwnershipRecord owner = (await store.TryAcquireAsync("report", 7, lease.Id)).Owner!;
        long joined = await store.JoinAsync(new ClusterMember(7, 42, lease.Id));

        await store.RevokeLeaseAsync(lease.Id);

        var seen = new List<CoordinationEvent>();
        using var deadline = new CancellationTokenSource(EventDeadline);
        await foreach (CoordinationEvent change in store.WatchAsync(start.Revision, deadline.Token))
        {
            seen.Add(change);
            if (seen.Count == 4)
            {
                break;
            }
        }

        // A revocation deletes the lease's keys in one etcd revision, in key order (members/ before owners/).
        Assert.Equal(
            [CoordinationEventKind.OwnerSet, CoordinationEventKind.MemberJoined, CoordinationEventKind.MemberLeft, CoordinationEventKind.OwnerRemoved],
            seen.Select(e => e.Kind));
        Assert.Equal(owner, seen[0].Owner);
        Assert.Equal(joined, seen[1].Revision);
        Assert.Equal(new ClusterMember(7, 42, lease.Id), seen[1].Member);
        Assert.Equal(new ClusterMember(7, 42, lease.Id), seen[2].Member);
        Assert.Equal(7u, seen[2].NodeId);
        Assert.Equal(owner, seen[3].Owner);
        Assert.Equal("report", seen[3].WorkloadId);
        Assert.Equal(seen[2].Revision, seen[3].Revision);
    }

    [SkippableFact]
    public async Task A_value_the_store_did_not_write_is_a_typed_error_naming_its_key()
    {
        string prefix = EtcdFixture.NewPrefix();
        await using EtcdCoordinationStore store = NewStore(etcd.Server.ClientUrl, prefix);
        using EtcdClient raw = etcd.NewClient();
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30));
        OwnershipRead before = await store.GetOwnerAsync("garbled");
        string key = prefix + "owners/garbled";
        await raw.PutAsync(key, "not json at all");

        CoordinationException read = await Assert.ThrowsAsync<CoordinationException>(async () => await store.GetOwnerAsync("garbled"));
        CoordinationException claim = await Assert.ThrowsAsync<CoordinationException>(async () => await store.TryAcquireAsync("garbled", 1, lease.Id));
        // A watch does not die of it (it would at every retry, for every workload): it reports
        // the change with the owner unknown, so a term under that key ends and a re-read fails.
        CoordinationEvent watched = await FirstAsync(store, before.Revision, e => e.WorkloadId == "garbled");
        Assert.Equal((CoordinationEventKind.OwnerSet, (OwnershipRecord?)null), (watched.Kind, watched.Owner));

        Assert.All([read, claim], e => Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal));
        Assert.Contains("not valid JSON", read.Message, StringComparison.Ordinal);

        await raw.PutAsync(key, """{"v":2,"node":1,"lease":1}""");
        CoordinationException newer = await Assert.ThrowsAsync<CoordinationException>(async () => await store.GetOwnerAsync("garbled"));
        Assert.Contains("format 2", newer.Message, StringComparison.Ordinal);

        // Right shape, but on no lease: such an owner would never go away.
        await raw.PutAsync(key, """{"v":1,"node":1,"lease":1}""");
        CoordinationException unleased = await Assert.ThrowsAsync<CoordinationException>(async () => await store.GetOwnerAsync("garbled"));
        Assert.Contains("attached to lease 0", unleased.Message, StringComparison.Ordinal);

        await raw.PutAsync(prefix + "members/seven", """{"v":1,"incarnation":1}""");
        CoordinationException member = await Assert.ThrowsAsync<CoordinationException>(async () => await store.GetMembersAsync());
        Assert.Contains($"'{prefix}members/seven'", member.Message, StringComparison.Ordinal);
        await store.RevokeLeaseAsync(lease.Id);
    }

    [SkippableFact]
    public async Task A_watch_from_compacted_history_fails_with_the_revisions_and_a_watch_from_there_works()
    {
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        await using EtcdCoordinationStore store = NewStore(server.ClientUrl);
        using var raw = new EtcdClient(server.ClientUrl);
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30));
        OwnershipRead start = await store.GetOwnerAsync("report");
        for (int i = 0; i < 3; i++)
        {
            OwnershipClaim claim = await store.TryAcquireAsync("report", 1, lease.Id);
            Assert.True(await store.ReleaseAsync(claim.Owner!));
        }

        long compactAt = (await store.GetOwnerAsync("report")).Revision;
        await raw.CompactAsync(new CompactionRequest { Revision = compactAt });

        CoordinationHistoryCompactedException compacted = await Assert.ThrowsAsync<CoordinationHistoryCompactedException>(
            async () => await FirstAsync(store, start.Revision, _ => true));
        Assert.Equal(start.Revision, compacted.RequestedRevision);
        Assert.Equal(compactAt, compacted.CompactRevision);

        OwnershipClaim after = await store.TryAcquireAsync("report", 1, lease.Id);
        CoordinationEvent next = await FirstAsync(store, compacted.CompactRevision, e => e.Kind == CoordinationEventKind.OwnerSet);
        Assert.Equal(after.Owner, next.Owner);
    }

    [SkippableFact]
    public async Task A_disposed_store_refuses_calls()
    {
        EtcdCoordinationStore store = NewStore(etcd.Server.ClientUrl);
        await store.DisposeAsync();
        store.Dispose(); // twice is harmless

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GrantLeaseAsync(TimeSpan.FromSeconds(2)));
        Assert.Throws<ObjectDisposedException>(() => store.WatchAsync(0));
    }

    internal static EtcdCoordinationStore NewStore(string url, string? prefix = null, TimeSpan? requestTimeout = null) => new(new EtcdCoordinationOptions
    {
        Endpoints = url,
        KeyPrefix = prefix ?? EtcdFixture.NewPrefix("store"),
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
    });

    internal static async Task<CoordinationEvent> FirstAsync(ICoordinationStore store, long afterRevision, Func<CoordinationEvent, bool> match)
    {
        using var deadline = new CancellationTokenSource(EventDeadline);
        await foreach (CoordinationEvent change in store.WatchAsync(afterRevision, deadline.Token))
        {
            if (match(change))
            {
                return change;
            }
        }

        throw new InvalidOperationException("The watch ended without an error.");
    }
}
