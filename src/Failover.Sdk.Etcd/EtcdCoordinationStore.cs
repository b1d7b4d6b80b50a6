using dotnet_etcd;
using dotnet_etcd.interfaces;
using Etcdserverpb;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Client;
using Failover.Sdk.Etcd.Configuration;
using Failover.Sdk.Etcd.Keys;
using Failover.Sdk.Etcd.Watching;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mvccpb;

namespace Failover.Sdk.Etcd;

/// <summary>
/// The coordination store of a deployment that spans machines: leases, workload ownership and
/// membership kept in etcd v3, so every node agrees on who owns what (BY-1). Registered by
/// <c>UseEtcd()</c>.
/// </summary>
/// <remarks>
/// <para>
/// Keys: <c>{KeyPrefix}owners/{workloadId}</c> holds the owner's node and lease and lives on
/// that lease; <c>{KeyPrefix}members/{nodeId}</c> holds the member's incarnation and lives on
/// its lease. A fencing token is the etcd revision that wrote the owner key (its
/// <c>mod_revision</c>); etcd's revision grows with every write, so a later owner's is larger.
/// Acquiring is a transaction on "the key was never created", a transfer or release one on
/// "the key's mod_revision is still the expected token".
/// </para>
/// <para>
/// Every request carries a deadline of <see cref="EtcdCoordinationOptions.RequestTimeout"/>;
/// etcd unreachable, down or frozen is a <see cref="CoordinationUnavailableException"/> naming
/// the endpoints. Renewals are single keep-alive round trips driven by the agent's own clock;
/// the store runs no background loop. A watch runs on a stream of its own and ends with
/// <see cref="CoordinationUnavailableException"/> when the stream breaks, rather than
/// reconnecting behind the caller's back: the caller reads again and watches from that read.
/// </para>
/// <para>
/// etcd grants leases in whole seconds and at least its minimum (2 s with the default
/// election timeout), and renews every lease in full when a new leader is elected, including
/// after a restart: a lease only ever lasts longer than its holder counts on, which is safe.
/// </para>
/// </remarks>
public sealed class EtcdCoordinationStore : ICoordinationStore, IAsyncDisposable, IDisposable
{
    private readonly EtcdClientFactory _factory;
    private readonly EtcdClient _client;
    private readonly KV.KVClient _kv;
    private readonly Lease.LeaseClient _leases;
    private readonly EtcdKeyLayout _keys;
    private readonly EtcdCalls _calls;
    private readonly EtcdWatch _watch;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a store that talks to etcd as <paramref name="options"/> say; no connection is made until the first request.</summary>
    /// <param name="options">Where etcd is and how to reach it.</param>
    /// <param name="timeProvider">The clock request deadlines are taken from; the system clock when null.</param>
    /// <param name="logger">Where failures are logged; nowhere when null.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message lists every problem.</exception>
    public EtcdCoordinationStore(EtcdCoordinationOptions options, TimeProvider? timeProvider = null, ILogger<EtcdCoordinationStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = EtcdCoordinationOptionsValidator.Failures(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        TimeProvider time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        EtcdEndpoints endpoints = EtcdEndpoints.Parse(options.Endpoints);
        Endpoints = endpoints.Text;
        KeyPrefix = options.KeyPrefix;
        RequestTimeout = options.RequestTimeout;
        _keys = new EtcdKeyLayout(options.KeyPrefix);
        _factory = new EtcdClientFactory(options, endpoints);
        _client = _factory.Client;
        IConnection connection = _client.GetConnection();
        _kv = connection.KVClient;
        _leases = connection.LeaseClient;
        _calls = new EtcdCalls(Endpoints, options.RequestTimeout, _logger);
        _watch = new EtcdWatch(connection.WatchClient, _keys, _calls, time, _logger);
        EtcdLog.Created(_logger, Endpoints, KeyPrefix, RequestTimeout.TotalMilliseconds);
    }

    /// <summary>The etcd endpoints, as connected to: <c>scheme://host:port</c>, comma-separated.</summary>
    public string Endpoints { get; }

    /// <summary>The prefix of every key this store reads and writes.</summary>
    public string KeyPrefix { get; }

    /// <summary>How long one request may take.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <inheritdoc />
    /// <remarks>etcd grants whole seconds: the time to live is rounded up, and etcd may raise it to its minimum.</remarks>
    public async ValueTask<CoordinationLease> GrantLeaseAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        if (timeToLive <= TimeSpan.Zero || timeToLive > InMemoryCoordinationStore.MaximumTimeToLive)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, $"A lease lives above zero and at most {InMemoryCoordinationStore.MaximumTimeToLive}.");
        }

        ThrowIfDisposed();
        long seconds = (timeToLive.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        LeaseGrantResponse granted = await _calls.RunAsync(
            "a lease grant", o => _leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(granted.Error))
        {
            throw new CoordinationException($"etcd at {Endpoints} refused a lease of {seconds} s: {granted.Error}.");
        }

        EtcdLog.LeaseGranted(_logger, granted.ID, granted.TTL, timeToLive.TotalMilliseconds);
        return new CoordinationLease(granted.ID, TimeSpan.FromSeconds(granted.TTL));
    }

    /// <inheritdoc />
    /// <remarks>One keep-alive request and its answer on a stream of their own; the caller decides when the next one goes.</remarks>
    public async ValueTask<bool> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return await _calls.RunAsync("a lease renewal", o => KeepAliveOnceAsync(leaseId, o), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        try
        {
            await _calls.RunAsync(
                "a lease revocation", o => _leases.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, o).ResponseAsync, cancellationToken, leaseId).ConfigureAwait(false);
        }
        catch (LeaseExpiredException)
        {
            // Gone already: what revoking it would have done.
        }
    }

    /// <inheritdoc />
    public async ValueTask<OwnershipRead> GetOwnerAsync(string workloadId, CancellationToken cancellationToken = default)
    {
        WorkloadIds.Validate(workloadId);
        ThrowIfDisposed();
        RangeResponse read = await _calls.RunAsync(
            "an ownership read", o => _kv.RangeAsync(new RangeRequest { Key = _keys.OwnerKey(workloadId) }, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return new OwnershipRead(Owner(read, workloadId), read.Header.Revision);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: if the owner key was never created, put it on the lease; otherwise read
    /// it. When the workload has an owner the claim fails without checking the lease, so a dead
    /// lease surfaces as <see cref="LeaseExpiredException"/> only when the key is free.
    /// </remarks>
    public async ValueTask<OwnershipClaim> TryAcquireAsync(string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        WorkloadIds.Validate(workloadId);
        ArgumentOutOfRangeException.ThrowIfZero(nodeId);
        ThrowIfDisposed();
        ByteString key = _keys.OwnerKey(workloadId);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(PutOwner(key, nodeId, leaseId));
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        return await ClaimAsync("an ownership claim", txn, workloadId, nodeId, leaseId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<OwnershipClaim> TransferAsync(OwnershipRecord expected, uint nodeId, long leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        WorkloadIds.Validate(expected.WorkloadId, nameof(expected));
        ArgumentOutOfRangeException.ThrowIfZero(nodeId);
        ThrowIfDisposed();
        ByteString key = _keys.OwnerKey(expected.WorkloadId);
        var txn = new TxnRequest();
        txn.Compare.Add(SameToken(key, expected.FencingToken));
        txn.Success.Add(PutOwner(key, nodeId, leaseId));
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        return await ClaimAsync("an ownership transfer", txn, expected.WorkloadId, nodeId, leaseId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(OwnershipRecord ownership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        WorkloadIds.Validate(ownership.WorkloadId, nameof(ownership));
        ThrowIfDisposed();
        ByteString key = _keys.OwnerKey(ownership.WorkloadId);
        var txn = new TxnRequest();
        txn.Compare.Add(SameToken(key, ownership.FencingToken));
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } });
        TxnResponse released = await _calls.RunAsync("an ownership release", o => _kv.TxnAsync(txn, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return released.Succeeded;
    }

    /// <inheritdoc />
    public async ValueTask<long> JoinAsync(ClusterMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentOutOfRangeException.ThrowIfZero(member.NodeId, nameof(member));
        ThrowIfDisposed();
        var put = new PutRequest { Key = _keys.MemberKey(member.NodeId), Value = EtcdValues.Member(member.Incarnation), Lease = member.LeaseId };
        PutResponse joined = await _calls.RunAsync(
            "a membership update", o => _kv.PutAsync(put, o).ResponseAsync, cancellationToken, member.LeaseId).ConfigureAwait(false);
        return joined.Header.Revision;
    }

    /// <inheritdoc />
    public async ValueTask<MembershipRead> GetMembersAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var range = new RangeRequest { Key = _keys.MembersStart, RangeEnd = _keys.MembersEnd };
        RangeResponse read = await _calls.RunAsync("a membership read", o => _kv.RangeAsync(range, o).ResponseAsync, cancellationToken).ConfigureAwait(false);
        var members = new List<ClusterMember>(read.Kvs.Count);
        foreach (KeyValue kv in read.Kvs)
        {
            EtcdKey key = _keys.Classify(kv.Key);
            if (key.Kind != EtcdKeyKind.Member)
            {
                throw EtcdValues.Corrupt(key.Text, "the node id in the key is not a decimal number from 1 to 4294967295");
            }

            members.Add(EtcdValues.ReadMember(kv, key.NodeId));
        }

        members.Sort((a, b) => a.NodeId.CompareTo(b.NodeId));
        return new MembershipRead(members, read.Header.Revision);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The watch starts when enumeration does, from <paramref name="afterRevision"/> + 1, so
    /// nothing after that revision is missed however late it starts. It ends with
    /// <see cref="CoordinationUnavailableException"/> when its stream breaks (etcd down, frozen
    /// past the HTTP/2 keep-alive, or this store disposed).
    /// </remarks>
    public IAsyncEnumerable<CoordinationEvent> WatchAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        ThrowIfDisposed();
        return _watch.RunAsync(afterRevision, cancellationToken);
    }

    /// <summary>Closes the connection; open watches end. Leases are not revoked: their holders do that.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.Dispose();
            _factory.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static RequestOp PutOwner(ByteString key, uint nodeId, long leaseId) =>
        new() { RequestPut = new PutRequest { Key = key, Value = EtcdValues.Owner(nodeId, leaseId), Lease = leaseId } };

    private static Compare SameToken(ByteString key, long fencingToken) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = fencingToken };

    private async Task<bool> KeepAliveOnceAsync(long leaseId, CallOptions options)
    {
        using AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call = _leases.LeaseKeepAlive(options);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, options.CancellationToken).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(options.CancellationToken).ConfigureAwait(false))
        {
            throw _calls.Unavailable("a lease renewal", "etcd closed the keep-alive stream without an answer");
        }

        // One request on a stream of its own, so the answer is for this lease; checked anyway,
        // as lease safety rests on it. TTL 0: etcd no longer has the lease.
        LeaseKeepAliveResponse answer = call.ResponseStream.Current;
        if (answer.ID != leaseId)
        {
            throw _calls.Unavailable("a lease renewal", $"etcd answered for lease {answer.ID} instead of {leaseId}");
        }

        return answer.TTL > 0;
    }

    private async Task<OwnershipClaim> ClaimAsync(string what, TxnRequest txn, string workloadId, uint nodeId, long leaseId, CancellationToken cancellationToken)
    {
        TxnResponse outcome = await _calls.RunAsync(what, o => _kv.TxnAsync(txn, o).ResponseAsync, cancellationToken, leaseId).ConfigureAwait(false);
        long revision = outcome.Header.Revision;
        if (outcome.Succeeded)
        {
            // The put is the transaction's only write: its revision is the key's mod_revision.
            return new OwnershipClaim(true, new OwnershipRecord(workloadId, nodeId, leaseId, revision), revision);
        }

        RangeResponse current = outcome.Responses[0].ResponseRange;
        return new OwnershipClaim(false, Owner(current, workloadId), revision);
    }

    private static OwnershipRecord? Owner(RangeResponse read, string workloadId) =>
        read.Kvs.Count == 0 ? null : EtcdValues.ReadOwner(read.Kvs[0], workloadId);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
