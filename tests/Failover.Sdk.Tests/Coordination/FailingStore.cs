using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// The in-memory store with failures on demand, all answered at once and inline (unlike
/// <see cref="CuttableStore"/>, whose requests wait for the caller's timeout): renewals, reads
/// or watches that fail as an unreachable store's do, and claims whose answers are held back.
/// </summary>
internal sealed class FailingStore(InMemoryCoordinationStore inner) : ICoordinationStore
{
    private readonly List<Action> _heldClaims = [];

    public InMemoryCoordinationStore Inner { get; } = inner;

    public bool RenewalsFail { get; set; }

    public bool ReadsFail { get; set; }

    public bool WatchesFail { get; set; }

    /// <summary>Claims take effect in the store at once; only their answers wait for <see cref="ReleaseClaims"/>.</summary>
    public bool HoldClaims { get; set; }

    public int HeldClaims => _heldClaims.Count;

    /// <summary>Node 1's services, built by AddFailover on <paramref name="time"/> with <paramref name="store"/>.</summary>
    public static ServiceProvider NodeOne(TimeProvider time, ICoordinationStore store)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddFailover(o =>
        {
            o.NodeId = 1;
            o.Incarnation = 1;
        }).UseInMemoryNetwork(new InMemoryNetwork()).UseCoordinationStore(store);
        return services.BuildServiceProvider();
    }

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

    public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default) => Inner.GrantLeaseAsync(timeToLive, cancellationToken);

    public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
        RenewalsFail ? ValueTask.FromException<bool>(Unreachable()) : Inner.KeepAliveAsync(leaseId, cancellationToken);

    public ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => Inner.RevokeLeaseAsync(leaseId, cancellationToken);

    public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default) =>
        ReadsFail ? ValueTask.FromException<OwnershipRead>(Unreachable()) : Inner.GetOwnerAsync(workloadId, cancellationToken);

    public ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        if (!HoldClaims)
        {
            return Inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken);
        }

        OwnershipClaim claim = Inner.TryAcquireAsync(workloadId, nodeId, leaseId, cancellationToken).AsTask().GetAwaiter().GetResult();
        var answer = new TaskCompletionSource<OwnershipClaim>();
        _heldClaims.Add(() => answer.TrySetResult(claim));
        return new ValueTask<OwnershipClaim>(answer.Task);
    }

    public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default) => Inner.TransferAsync(expected, nodeId, leaseId, cancellationToken);

    public ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default) => Inner.ReleaseAsync(ownership, cancellationToken);

    public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default) => Inner.JoinAsync(member, cancellationToken);

    public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default) => Inner.GetMembersAsync(cancellationToken);

    public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default) =>
        WatchesFail ? throw Unreachable() : Inner.WatchAsync(afterRevision, cancellationToken);

    private static CoordinationUnavailableException Unreachable() => new("unreachable");
}
