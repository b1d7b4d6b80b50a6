using System.Runtime.CompilerServices;
using Failover.Sdk.Coordination;
using Failover.Sdk.Simulation.Nodes;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// The coordination store as one agent process sees it: what <c>AddFailover().UseCoordinationStore</c>
/// hands that node's coordinator. Every request crosses the simulated network to the store's node
/// and the reply crosses back; the reply completes the caller's task on this node's clock, so a
/// paused or hung process sees it only when it resumes, and a dead one never does.
/// </summary>
/// <remarks>
/// A request or reply with no route is lost and never completes: the coordinator's own request
/// timeout (on this node's clock) turns that into a <see cref="CoordinationUnavailableException"/>,
/// as with a real store that does not answer. One client serves one process: when the process
/// dies, so does the client, and nothing it had in flight reaches the process's remains.
/// </remarks>
internal sealed class SimulatedStoreClient : ICoordinationStore
{
    private readonly SimulatedStore _store;
    private readonly NodeClock _clock;
    private readonly int _generation;
    private readonly List<SimulatedWatch> _watches = [];
    private readonly List<IPendingStoreCall> _pending = [];

    public SimulatedStoreClient(SimulatedStore store, uint nodeId, NodeClock clock)
    {
        _store = store;
        NodeId = nodeId;
        _clock = clock;
        _generation = clock.Generation;
    }

    public uint NodeId { get; }

    /// <summary>Whether the process it served is gone.</summary>
    public bool IsDead { get; private set; }

    /// <summary>
    /// The process died: nothing more reaches it, its watches close, and the calls it was waiting
    /// on fail at once, so its remains (torn down next) unwind without waiting on timers that died
    /// with it. Nothing of that reaches the store.
    /// </summary>
    public void Kill()
    {
        IsDead = true;
        SimulatedWatch[] watches = [.. _watches];
        _watches.Clear();
        foreach (SimulatedWatch watch in watches)
        {
            // Failed, not just closed: an enumerator waiting on it unwinds now, like the calls below.
            watch.Fail(new CoordinationUnavailableException($"The process on node {NodeId} is gone."));
        }

        IPendingStoreCall[] pending = [.. _pending];
        _pending.Clear();
        foreach (IPendingStoreCall call in pending)
        {
            call.Abandon(new CoordinationUnavailableException($"The process on node {NodeId} is gone."));
        }
    }

    internal void Track(IPendingStoreCall call) => _pending.Add(call);

    internal void Forget(IPendingStoreCall call) => _pending.Remove(call);

    /// <summary>Runs <paramref name="deliver"/> on this node after <paramref name="delayTicks"/> (true ticks, counted on the node's clock), unless the process dies first.</summary>
    public void Receive(long delayTicks, Action deliver)
    {
        if (IsDead || _clock.Generation != _generation)
        {
            return;
        }

        _clock.CreateTimer(static s => ((Delivery)s!).Run(), new Delivery(this, deliver), TimeSpan.FromTicks(delayTicks), Timeout.InfiniteTimeSpan);
    }

    public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        Call(s => s.GrantLeaseAsync(timeToLive), cancellationToken);

    public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
        Call(s => s.KeepAliveAsync(leaseId), cancellationToken);

    public async ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) =>
        await Call(async s => { await s.RevokeLeaseAsync(leaseId).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

    public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default) =>
        Call(s => s.GetOwnerAsync(workloadId), cancellationToken);

    public ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default) =>
        Call(s => s.TryAcquireAsync(workloadId, nodeId, leaseId), cancellationToken);

    public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default) =>
        Call(s => s.TransferAsync(expected, nodeId, leaseId), cancellationToken);

    public ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default) =>
        Call(s => s.ReleaseAsync(ownership), cancellationToken);

    public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default) =>
        Call(s => s.JoinAsync(member), cancellationToken);

    public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default) =>
        Call(s => s.GetMembersAsync(), cancellationToken);

    public async IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDead();
        var watch = new SimulatedWatch();
        _watches.Add(watch);
        _store.Watch(this, watch, afterRevision);
        try
        {
            // Bounded by the watch: it ends when the caller cancels or stops reading, or the watch breaks.
            while (true)
            {
                yield return await watch.NextAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            watch.Close();
            _watches.Remove(watch);
        }
    }

    private ValueTask<T> Call<T>(Func<InMemoryCoordinationStore, ValueTask<T>> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        if (IsDead)
        {
            // Only the remains of a crashed process call now (its container being torn down):
            // it reaches nothing, at once, so the teardown ends without a word to the store.
            return ValueTask.FromException<T>(new CoordinationUnavailableException($"The process on node {NodeId} is gone."));
        }

        var call = new StoreCall<T>(this, cancellationToken);
        _store.Send(this, operation, call);
        return new ValueTask<T>(call.Task);
    }

    private void ThrowIfDead()
    {
        if (IsDead)
        {
            throw new CoordinationUnavailableException($"The process on node {NodeId} is gone.");
        }
    }

    /// <summary>A reply or notification arriving on the node, unless its process has died meanwhile.</summary>
    private sealed class Delivery(SimulatedStoreClient client, Action deliver)
    {
        public void Run()
        {
            if (!client.IsDead && client._clock.Generation == client._generation)
            {
                deliver();
            }
        }
    }
}
