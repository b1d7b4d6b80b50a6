using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Failover.Sdk.Coordination;

/// <summary>
/// The coordination store for one process: the default of <c>AddFailover()</c>, and what the
/// simulator, the tests and the demo share between the agents they run side by side. Leases
/// expire by the <see cref="TimeProvider"/> given, so in the simulator they expire in virtual
/// time.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Watchers get changes in revision order; their continuations run on the thread
/// that made the change (or on the timer that expired a lease), never under the store's lock,
/// which keeps a single-threaded simulation deterministic.
/// </para>
/// <para>
/// It keeps the last <see cref="HistoryLength"/> changes; a watch from further back fails with
/// <see cref="CoordinationHistoryCompactedException"/>, as etcd's does after a compaction.
/// </para>
/// </remarks>
public sealed class InMemoryCoordinationStore : ICoordinationStore, IDisposable
{
    /// <summary>The longest lease granted: a day.</summary>
    public static readonly TimeSpan MaximumTimeToLive = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<long, LeaseEntry> _leases = [];
    private readonly Dictionary<string, OwnershipRecord> _owners = new(StringComparer.Ordinal);
    private readonly SortedDictionary<uint, ClusterMember> _members = [];
    private readonly Queue<CoordinationEvent> _history = new();
    private readonly List<Channel<CoordinationEvent>> _watchers = [];
    private readonly Queue<CoordinationEvent> _unpublished = new();
    private readonly ITimer _expiryTimer;
    private long _revision = 1; // etcd's empty store is at revision 1
    private long _compacted = 1;
    private long _nextLeaseId = 1;
    private long _nextExpiry = long.MaxValue;
    private int _publishing;

    /// <summary>Creates a store whose leases expire by <paramref name="time"/> (the system clock when null).</summary>
    /// <param name="time">The clock leases are judged by.</param>
    /// <param name="historyLength">How many changes a watch can start behind; at least 1. Default 4096.</param>
    public InMemoryCoordinationStore(TimeProvider? time = null, int historyLength = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLength, 1);
        _time = time ?? TimeProvider.System;
        HistoryLength = historyLength;
        _expiryTimer = _time.CreateTimer(static s => ((InMemoryCoordinationStore)s!).OnExpiryTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many changes are kept for watches that start behind.</summary>
    public int HistoryLength { get; }

    /// <summary>The current revision.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>How many leases are alive now.</summary>
    public int LeaseCount
    {
        get
        {
            lock (_gate)
            {
                ExpireDue();
                return _leases.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        if (timeToLive <= TimeSpan.Zero || timeToLive > MaximumTimeToLive)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, $"A lease lives above zero and at most {MaximumTimeToLive}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ExpireDue();
            long id = _nextLeaseId++;
            var lease = new LeaseEntry(Ticks(timeToLive));
            _leases.Add(id, lease);
            Renew(lease);
            return ValueTask.FromResult(new CoordinationLease(id, timeToLive));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool alive;
        lock (_gate)
        {
            ExpireDue();
            alive = _leases.TryGetValue(leaseId, out LeaseEntry? lease);
            if (alive)
            {
                Renew(lease!);
            }
        }

        Publish();
        return ValueTask.FromResult(alive);
    }

    /// <inheritdoc />
    public ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ExpireDue();
            if (_leases.Remove(leaseId, out LeaseEntry? lease))
            {
                RemoveEntriesOf(lease);
            }
        }

        Publish();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default)
    {
        WorkloadIds.Validate(workloadId);
        cancellationToken.ThrowIfCancellationRequested();
        OwnershipRead read;
        lock (_gate)
        {
            ExpireDue();
            read = new OwnershipRead(_owners.GetValueOrDefault(workloadId), _revision);
        }

        Publish();
        return ValueTask.FromResult(read);
    }

    /// <inheritdoc />
    public ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        WorkloadIds.Validate(workloadId);
        cancellationToken.ThrowIfCancellationRequested();
        OwnershipClaim claim;
        lock (_gate)
        {
            ExpireDue();
            LeaseEntry lease = LeaseOrThrow(leaseId);
            claim = _owners.TryGetValue(workloadId, out OwnershipRecord? current)
                ? new OwnershipClaim(false, current, _revision)
                : SetOwner(workloadId, nodeId, leaseId, lease);
        }

        Publish();
        return ValueTask.FromResult(claim);
    }

    /// <inheritdoc />
    public ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        WorkloadIds.Validate(expected.WorkloadId, nameof(expected));
        cancellationToken.ThrowIfCancellationRequested();
        OwnershipClaim claim;
        lock (_gate)
        {
            ExpireDue();
            LeaseEntry lease = LeaseOrThrow(leaseId);
            OwnershipRecord? current = _owners.GetValueOrDefault(expected.WorkloadId);
            if (current is null || current.FencingToken != expected.FencingToken)
            {
                claim = new OwnershipClaim(false, current, _revision);
            }
            else
            {
                _leases[current.LeaseId].Owned.Remove(current.WorkloadId);
                claim = SetOwner(expected.WorkloadId, nodeId, leaseId, lease);
            }
        }

        Publish();
        return ValueTask.FromResult(claim);
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        cancellationToken.ThrowIfCancellationRequested();
        bool released;
        lock (_gate)
        {
            ExpireDue();
            released = _owners.TryGetValue(ownership.WorkloadId, out OwnershipRecord? current)
                && current.FencingToken == ownership.FencingToken;
            if (released)
            {
                _leases[current!.LeaseId].Owned.Remove(current.WorkloadId);
                RemoveOwner(current);
            }
        }

        Publish();
        return ValueTask.FromResult(released);
    }

    /// <inheritdoc />
    public ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentOutOfRangeException.ThrowIfZero(member.NodeId, nameof(member));
        cancellationToken.ThrowIfCancellationRequested();
        long revision;
        lock (_gate)
        {
            ExpireDue();
            LeaseEntry lease = LeaseOrThrow(member.LeaseId);
            if (_members.TryGetValue(member.NodeId, out ClusterMember? previous) && _leases.TryGetValue(previous.LeaseId, out LeaseEntry? old))
            {
                old.Members.Remove(member.NodeId);
            }

            _members[member.NodeId] = member;
            lease.Members.Add(member.NodeId);
            revision = Record(new CoordinationEvent(CoordinationEventKind.MemberJoined, ++_revision, Member: member, NodeId: member.NodeId));
        }

        Publish();
        return ValueTask.FromResult(revision);
    }

    /// <inheritdoc />
    public ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        MembershipRead read;
        lock (_gate)
        {
            ExpireDue();
            read = new MembershipRead([.. _members.Values], _revision);
        }

        Publish();
        return ValueTask.FromResult(read);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        // Registered now, not at the first MoveNextAsync, so nothing between this call and the
        // first read is missed; the history check throws here, where the caller can see it.
        var channel = Channel.CreateUnbounded<CoordinationEvent>(new UnboundedChannelOptions
        {
            SingleReader = true,
            AllowSynchronousContinuations = true,
        });
        lock (_gate)
        {
            ExpireDue();
            if (afterRevision < _compacted)
            {
                throw new CoordinationHistoryCompactedException(afterRevision, _compacted);
            }

            foreach (CoordinationEvent past in _history)
            {
                if (past.Revision > afterRevision && !_unpublished.Contains(past))
                {
                    channel.Writer.TryWrite(past);
                }
            }

            _watchers.Add(channel);
        }

        // Also ends a watch whose enumeration never started (its finally would never run).
        cancellationToken.UnsafeRegister(static (s, _) => ((Channel<CoordinationEvent>)s!).Writer.TryComplete(), channel);
        Publish();
        return ReadAsync(channel, cancellationToken);
    }

    /// <summary>Stops the lease expiry timer and ends every watch.</summary>
    public void Dispose()
    {
        _expiryTimer.Dispose();
        Channel<CoordinationEvent>[] watchers;
        lock (_gate)
        {
            watchers = [.. _watchers];
            _watchers.Clear();
        }

        // Outside the lock and off the list: a waiting reader continues inline, and its watch's
        // finally removes it from _watchers, which must not be the list being enumerated.
        foreach (Channel<CoordinationEvent> watcher in watchers)
        {
            watcher.Writer.TryComplete();
        }
    }

    private async IAsyncEnumerable<CoordinationEvent> ReadAsync(Channel<CoordinationEvent> channel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out CoordinationEvent? change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    private OwnershipClaim SetOwner(string workloadId, uint nodeId, long leaseId, LeaseEntry lease)
    {
        var owner = new OwnershipRecord(workloadId, nodeId, leaseId, ++_revision);
        _owners[workloadId] = owner;
        lease.Owned.Add(workloadId);
        Record(new CoordinationEvent(CoordinationEventKind.OwnerSet, owner.FencingToken, workloadId, owner));
        return new OwnershipClaim(true, owner, _revision);
    }

    private void RemoveOwner(OwnershipRecord owner)
    {
        _owners.Remove(owner.WorkloadId);
        Record(new CoordinationEvent(CoordinationEventKind.OwnerRemoved, ++_revision, owner.WorkloadId, owner));
    }

    private void RemoveEntriesOf(LeaseEntry lease)
    {
        // Sorted, so two runs of the same simulation remove (and number) them in the same order.
        foreach (string workloadId in lease.Owned.Order(StringComparer.Ordinal))
        {
            RemoveOwner(_owners[workloadId]);
        }

        foreach (uint nodeId in lease.Members.Order())
        {
            _members.Remove(nodeId, out ClusterMember? member);
            Record(new CoordinationEvent(CoordinationEventKind.MemberLeft, ++_revision, Member: member, NodeId: nodeId));
        }
    }

    private long Record(CoordinationEvent change)
    {
        _history.Enqueue(change);
        if (_history.Count > HistoryLength)
        {
            _compacted = _history.Dequeue().Revision;
        }

        _unpublished.Enqueue(change);
        return change.Revision;
    }

    /// <summary>
    /// Hands recorded changes to the watchers, outside the lock and one publisher at a time,
    /// so they arrive in revision order even when a watcher's continuation (run inline)
    /// changes the store again: that change waits in the queue for the loop below.
    /// </summary>
    private void Publish()
    {
        while (Volatile.Read(ref _publishing) == 0 && Interlocked.CompareExchange(ref _publishing, 1, 0) == 0)
        {
            try
            {
                for (int i = 0; i < 1_000_000; i++)
                {
                    CoordinationEvent? change;
                    Channel<CoordinationEvent>[] watchers;
                    lock (_gate)
                    {
                        if (!_unpublished.TryDequeue(out change))
                        {
                            break;
                        }

                        watchers = [.. _watchers];
                    }

                    foreach (Channel<CoordinationEvent> watcher in watchers)
                    {
                        if (!watcher.Writer.TryWrite(change))
                        {
                            lock (_gate)
                            {
                                _watchers.Remove(watcher); // completed: its watch was cancelled
                            }
                        }
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _publishing, 0);
            }

            lock (_gate)
            {
                if (_unpublished.Count == 0)
                {
                    return;
                }
            }
        }
    }

    private LeaseEntry LeaseOrThrow(long leaseId)
        => _leases.TryGetValue(leaseId, out LeaseEntry? lease) ? lease : throw new LeaseExpiredException(leaseId);

    private void Renew(LeaseEntry lease)
    {
        lease.ExpiresAt = _time.GetTimestamp() + lease.TimeToLive;
        ScheduleExpiry(lease.ExpiresAt);
    }

    private void ExpireDue()
    {
        long now = _time.GetTimestamp();
        if (now < _nextExpiry)
        {
            return;
        }

        long next = long.MaxValue;
        // Ordered by id, so expiries at one instant are numbered the same way in every run.
        foreach ((long id, LeaseEntry lease) in _leases.OrderBy(l => l.Key).ToArray())
        {
            if (lease.ExpiresAt <= now)
            {
                _leases.Remove(id);
                RemoveEntriesOf(lease);
            }
            else
            {
                next = Math.Min(next, lease.ExpiresAt);
            }
        }

        _nextExpiry = long.MaxValue;
        ScheduleExpiry(next);
    }

    private void ScheduleExpiry(long at)
    {
        if (at >= _nextExpiry)
        {
            return;
        }

        _nextExpiry = at;
        long delay = Math.Max(0, at - _time.GetTimestamp());
        _expiryTimer.Change(TimeSpan.FromTicks(delay * TimeSpan.TicksPerSecond / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
    }

    private void OnExpiryTimer()
    {
        lock (_gate)
        {
            ExpireDue();
        }

        Publish();
    }

    private long Ticks(TimeSpan span) => (long)(span.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private sealed class LeaseEntry(long timeToLive)
    {
        public long TimeToLive { get; } = timeToLive;

        public long ExpiresAt { get; set; }

        public HashSet<string> Owned { get; } = new(StringComparer.Ordinal);

        public HashSet<uint> Members { get; } = [];
    }
}
