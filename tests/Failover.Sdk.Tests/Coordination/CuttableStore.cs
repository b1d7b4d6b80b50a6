using Failover.Sdk.Coordination;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// One node's way to a shared store, which a test can cut: while cut, requests never arrive
/// and never answer (a partition), so only the caller's timeout ends them. Records when each
/// renewal reached the store, by the store's clock.
/// </summary>
internal sealed class CuttableStore(ICoordinationStore inner, TimeProvider time) : ICoordinationStore
{
    private volatile bool _cut;

    public bool IsCut
    {
        get => _cut;
        set => _cut = value;
    }

    /// <summary>While true, only renewals are lost on the way; every other request passes.</summary>
    public bool DropRenewals { get; set; }

    /// <summary>How many of the next renewals are lost on the way.</summary>
    public int DropNextRenewals { get; set; }

    /// <summary>When renewals reached the store (lower bounds) and found their lease alive.</summary>
    public List<DateTimeOffset> Renewals { get; } = [];

    public async ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.GrantLeaseAsync(timeToLive, cancellationToken);
    }

    public async ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        if (DropRenewals || DropNextRenewals-- > 0)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }

        // Read before the store renews: the test thread may move the fake clock on meanwhile,
        // so this is a lower bound of the store's own renewal time.
        DateTimeOffset arrived = time.GetUtcNow();
        bool alive = await inner.KeepAliveAsync(leaseId, cancellationToken);
        if (alive)
        {
            lock (Renewals)
            {
                Renewals.Add(arrived);
            }
        }

        return alive;
    }

    public async ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        await inner.RevokeLeaseAsync(leaseId, cancellationToken);
    }

    public async ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.GetOwnerAsync(workloadId, cancellationToken);
    }

    public async ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken);
    }

    public async ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.TransferAsync(expected, nodeId, leaseId, cancellationToken);
    }

    public async ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.ReleaseAsync(ownership, cancellationToken);
    }

    public async ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.JoinAsync(member, cancellationToken);
    }

    public async ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return await inner.GetMembersAsync(cancellationToken);
    }

    public async IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        await foreach (CoordinationEvent change in inner.WatchAsync(afterRevision, cancellationToken))
        {
            if (_cut)
            {
                throw new CoordinationUnavailableException("cut");
            }

            yield return change;
        }
    }

    /// <summary>While cut, waits until the caller gives up.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        if (_cut)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }
    }
}
