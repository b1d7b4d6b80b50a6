using Failover.Sdk.Coordination;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>The in-memory store beyond the contract, on the system clock.</summary>
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
}
