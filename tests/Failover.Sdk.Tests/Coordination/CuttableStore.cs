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
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.GrantLeaseAsync(timeToLive, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        if (DropRenewals || DropNextRenewals-- > 0)
        {
            await WaitUntilCancelledAsync(cancellationToken).ConfigureAwait(false);
        }

        // Read before the store renews: the test thread may move the fake clock on meanwhile,
        // so this is a lower bound of the store's own renewal time.
        DateTimeOffset arrived = time.GetUtcNow();
        bool alive = await inner.KeepAliveAsync(leaseId, cancellationToken).ConfigureAwait(false);
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
        await PassAsync(cancellationToken).ConfigureAwait(false);
        await inner.RevokeLeaseAsync(leaseId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.GetOwnerAsync(workloadId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.TransferAsync(expected, nodeId, leaseId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.ReleaseAsync(ownership, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.JoinAsync(member, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        return await inner.GetMembersAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken).ConfigureAwait(false);
        await foreach (CoordinationEvent change in inner.WatchAsync(afterRevision, cancellationToken).ConfigureAwait(false))
        {
            if (_cut)
            {
                throw new CoordinationUnavailableException("cut");
            }

            yield return change;
        }
    }

    /// <summary>
    /// Waits until the caller gives up, resuming inline on whoever cancels (the fake clock's
    /// Advance): a cancelled Task.Delay would resume on the thread pool, and the test thread
    /// could move the clock on before the caller saw its timeout.
    /// </summary>
    private static async Task WaitUntilCancelledAsync(CancellationToken cancellationToken)
    {
        await TokenTasks.WhenCancelledAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>While cut, waits until the caller gives up.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        if (_cut)
        {
            await WaitUntilCancelledAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
