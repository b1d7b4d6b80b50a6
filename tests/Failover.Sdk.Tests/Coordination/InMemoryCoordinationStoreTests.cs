using Failover.Sdk.Coordination;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>The in-memory store beyond the contract: its own clock and its inline watchers.</summary>
public sealed class InMemoryCoordinationStoreTests
{
    /// <summary>
    /// Linux's system clock counts nanoseconds: a lease over about 15 minutes once overflowed
    /// the expiry timer's conversion (delay x 10^7 / 10^9 in 64 bits) into a negative due time.
    /// </summary>
    [Theory]
    [InlineData(60)]
    [InlineData(3600)]
    [InlineData(86_400)]
    public async Task A_long_lease_on_the_system_clock_is_granted_kept_and_revoked(int seconds)
    {
        using var store = new InMemoryCoordinationStore(TimeProvider.System);

        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(seconds));
        OwnershipClaim claim = await store.TryAcquireAsync("report", 1, lease.Id);

        Assert.True(await store.KeepAliveAsync(lease.Id));
        Assert.Equal(claim.Owner, (await store.GetOwnerAsync("report")).Owner);
        Assert.Equal(1, store.LeaseCount);
        await store.RevokeLeaseAsync(lease.Id);
        Assert.Equal(0, store.LeaseCount);
    }

    [Fact]
    public async Task A_watch_opened_by_a_watcher_while_changes_are_being_published_gets_nothing_from_before_its_revision()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemoryCoordinationStore(time);
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(10));
        long start = (await store.GetOwnerAsync("a")).Revision;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var second = new List<CoordinationEvent>();
        long secondAfter = 0;

        // The first watcher reacts inline, inside the store's publishing of "a": it claims "b"
        // (a change recorded but not yet published) and opens a watch after that claim.
        Task firstWatcher = Task.Run(async () =>
        {
            await foreach (CoordinationEvent change in store.WatchAsync(start, deadline.Token))
            {
                if (change.WorkloadId == "a")
                {
                    OwnershipClaim b = await store.TryAcquireAsync("b", 1, lease.Id);
                    secondAfter = b.Revision;
                    await foreach (CoordinationEvent later in store.WatchAsync(secondAfter, deadline.Token))
                    {
                        second.Add(later);
                        break;
                    }

                    return;
                }
            }
        });
        await Failover.Sdk.Tests.Support.Eventually.TrueAsync(() => store.Revision >= start, "the watch is open");
        await store.TryAcquireAsync("a", 1, lease.Id);
        await Failover.Sdk.Tests.Support.Eventually.TrueAsync(() => secondAfter > 0, "the first watcher claimed b");
        OwnershipClaim c = await store.TryAcquireAsync("c", 1, lease.Id);
        await firstWatcher.WaitAsync(TimeSpan.FromSeconds(10));

        CoordinationEvent first = Assert.Single(second);
        Assert.Equal("c", first.WorkloadId);
        Assert.Equal(c.Revision, first.Revision);
    }
}
