using dotnet_etcd;
using Etcdserverpb;
using Failover.Sdk.Etcd.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Failover.Sdk.Etcd.Tests;

/// <summary>
/// The real etcd 3.4 server through the dotnet-etcd 9.1.0 client: what the etcd store will
/// rely on, written down as tests (KV, leases, keep-alive, watch from a revision, the
/// create-if-absent transaction, compaction, a stopped and a frozen server).
/// </summary>
public sealed class EtcdServerTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task Put_then_get_returns_the_value_with_its_revisions()
    {
        using EtcdClient client = etcd.NewClient();
        string key = EtcdFixture.NewPrefix() + "k";

        PutResponse first = await client.PutAsync(key, "one");
        PutResponse second = await client.PutAsync(key, "two");
        RangeResponse read = await client.GetAsync(key);

        KeyValue kv = Assert.Single(read.Kvs);
        Assert.Equal("two", kv.Value.ToStringUtf8());
        Assert.Equal(first.Header.Revision, kv.CreateRevision);
        Assert.Equal(second.Header.Revision, kv.ModRevision);
        Assert.Equal(2, kv.Version);
        Assert.True(second.Header.Revision > first.Header.Revision);
        Assert.Equal("two", await client.GetValAsync(key));
        Assert.Empty((await client.GetAsync(key + "-absent")).Kvs);
    }

    [SkippableFact]
    public async Task Lease_is_granted_with_the_asked_ttl_and_time_to_live_reads_it_back()
    {
        using EtcdClient client = etcd.NewClient();
        string key = EtcdFixture.NewPrefix() + "leased";

        LeaseGrantResponse lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 2 });
        await client.PutAsync(new PutRequest { Key = Bytes(key), Value = Bytes("v"), Lease = lease.ID });
        LeaseTimeToLiveResponse live = await client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = lease.ID, Keys = true });

        Assert.NotEqual(0, lease.ID);
        Assert.Equal(2, lease.TTL);
        Assert.Equal(lease.ID, live.ID);
        Assert.Equal(2, live.GrantedTTL);
        Assert.InRange(live.TTL, 0, 2);
        Assert.Equal(key, Assert.Single(live.Keys).ToStringUtf8());
        Assert.Equal(lease.ID, Assert.Single((await client.GetAsync(key)).Kvs).Lease);
        await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });
    }

    [SkippableFact]
    public async Task Lease_shorter_than_the_minimum_is_granted_the_minimum_of_two_seconds()
    {
        using EtcdClient client = etcd.NewClient();

        // etcd raises a TTL below ceil(1.5 x election timeout) = 2 s with the default 1 s timeout.
        LeaseGrantResponse one = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 1 });
        LeaseGrantResponse three = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 3 });

        Assert.Equal(2, one.TTL);
        Assert.Equal(3, three.TTL);
        await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = one.ID });
        await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = three.ID });
    }

    [SkippableFact]
    public async Task Key_on_a_lease_without_keep_alive_is_deleted_when_the_lease_expires()
    {
        using EtcdClient client = etcd.NewClient();
        string key = EtcdFixture.NewPrefix() + "owner";
        LeaseGrantResponse lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 2 });
        await client.PutAsync(new PutRequest { Key = Bytes(key), Value = Bytes("node-a"), Lease = lease.ID });
        RangeResponse read = await client.GetAsync(key);
        Assert.Equal("node-a", Assert.Single(read.Kvs).Value.ToStringUtf8());

        // From the revision after the read, so an expiry that happens before the watch is
        // registered is replayed rather than missed.
        WatchResponse deleted = await FirstWatchResponseAsync(
            client,
            new WatchCreateRequest { Key = Bytes(key), StartRevision = read.Header.Revision + 1 },
            r => r.Events.Count > 0);

        Event gone = Assert.Single(deleted.Events);
        Assert.Equal(Event.Types.EventType.Delete, gone.Type);
        Assert.Equal(key, gone.Kv.Key.ToStringUtf8());
        Assert.True(gone.Kv.ModRevision > read.Header.Revision);
        Assert.Empty((await client.GetAsync(key)).Kvs);
        LeaseTimeToLiveResponse expired = await client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = lease.ID });
        Assert.Equal(-1, expired.TTL);
    }

    [SkippableFact]
    public async Task Create_if_absent_transaction_lets_one_contender_win_and_tells_the_other_the_owner()
    {
        string key = EtcdFixture.NewPrefix() + "owner";
        using EtcdClient a = etcd.NewClient();
        using EtcdClient b = etcd.NewClient();
        long leaseA = (await a.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 })).ID;
        long leaseB = (await b.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 })).ID;

        TxnResponse[] outcomes = await Task.WhenAll(
            a.TransactionAsync(CreateIfAbsent(key, "node-a", leaseA)),
            b.TransactionAsync(CreateIfAbsent(key, "node-b", leaseB)));

        TxnResponse won = Assert.Single(outcomes, o => o.Succeeded);
        TxnResponse lost = Assert.Single(outcomes, o => !o.Succeeded);
        (string winner, long winnerLease) = won == outcomes[0] ? ("node-a", leaseA) : ("node-b", leaseB);
        Assert.Equal(ResponseOp.ResponseOneofCase.ResponsePut, Assert.Single(won.Responses).ResponseCase);
        ResponseOp failure = Assert.Single(lost.Responses);
        Assert.Equal(ResponseOp.ResponseOneofCase.ResponseRange, failure.ResponseCase);
        KeyValue owner = Assert.Single(failure.ResponseRange.Kvs);
        Assert.Equal(winner, owner.Value.ToStringUtf8());
        Assert.Equal(winnerLease, owner.Lease);
        // The winner's revision is the key's create revision: a fencing token both sides agree on.
        Assert.Equal(won.Header.Revision, owner.CreateRevision);
        Assert.Equal(1, owner.Version);

        await a.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseA });
        await b.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseB });
    }

    [SkippableFact]
    public async Task Keep_alive_with_a_token_source_cancels_it_when_the_lease_is_revoked()
    {
        using EtcdClient client = etcd.NewClient();
        LeaseGrantResponse lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 5 });
        using var lost = new CancellationTokenSource();

        Task keepAlive = client.LeaseKeepAlive(lost, lease.ID, keepAliveTimeout: 500, communicationTimeout: 2000);
        LeaseKeepAliveResponse? once = null;
        await client.LeaseKeepAlive(new LeaseKeepAliveRequest { ID = lease.ID }, r => once = r, CancellationToken.None);
        Assert.False(lost.IsCancellationRequested);
        await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });

        // The next keep-alive answer has TTL 0; the client cancels the source and returns.
        await keepAlive.WaitAsync(EventDeadline);
        Assert.True(lost.IsCancellationRequested);
        Assert.Equal(TaskStatus.RanToCompletion, keepAlive.Status);
        Assert.NotNull(once);
        Assert.Equal(lease.ID, once.ID);
        Assert.Equal(5, once.TTL);
        LeaseKeepAliveResponse? afterRevoke = null;
        await client.LeaseKeepAlive(new LeaseKeepAliveRequest { ID = lease.ID }, r => afterRevoke = r, CancellationToken.None);
        Assert.NotNull(afterRevoke);
        Assert.Equal(0, afterRevoke.TTL);
    }

    [SkippableFact]
    public async Task Watch_from_a_compacted_revision_is_cancelled_with_the_compact_revision()
    {
        using EtcdClient client = etcd.NewClient();
        string key = EtcdFixture.NewPrefix() + "history";
        PutResponse first = await client.PutAsync(key, "1");
        await client.PutAsync(key, "2");
        PutResponse last = await client.PutAsync(key, "3");
        await client.CompactAsync(new CompactionRequest { Revision = last.Header.Revision });

        WatchResponse cancelled = await FirstWatchResponseAsync(
            client,
            new WatchCreateRequest { Key = Bytes(key), StartRevision = first.Header.Revision },
            r => r.Canceled);

        Assert.Equal(last.Header.Revision, cancelled.CompactRevision);
        Assert.Empty(cancelled.Events);
        RpcException read = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetAsync(new RangeRequest { Key = Bytes(key), Revision = first.Header.Revision }));
        Assert.Equal(StatusCode.OutOfRange, read.StatusCode);
    }

    [SkippableFact]
    public async Task Stopped_server_fails_calls_with_Unavailable_and_after_a_restart_the_key_is_back()
    {
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        using var client = new EtcdClient(server.ClientUrl);
        string key = EtcdFixture.NewPrefix() + "durable";
        await client.PutAsync(key, "kept");

        await server.StopAsync();
        // The client retries Unavailable itself (up to 5 attempts, 1-5 s backoff) before it
        // gives up; the deadline is longer than that, so what surfaces is the server's absence.
        RpcException down = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetAsync(key, deadline: InSeconds(30)));
        Assert.Equal(StatusCode.Unavailable, down.StatusCode);

        await server.RestartAsync();
        RangeResponse back = await UntilAnsweredAsync(() => client.GetAsync(key, deadline: InSeconds(2)));
        Assert.Equal("kept", Assert.Single(back.Kvs).Value.ToStringUtf8());
    }

    [SkippableFact]
    public async Task Paused_server_fails_calls_at_their_deadline_and_answers_again_after_resume()
    {
        Skip.IfNot(Signals.Supported, "SIGSTOP/SIGCONT numbers are Linux's");
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        using var client = new EtcdClient(server.ClientUrl);
        string key = EtcdFixture.NewPrefix() + "frozen";
        await client.PutAsync(key, "v");

        server.Pause();
        try
        {
            // Usually RpcException(DeadlineExceeded); under load grpc-dotnet's deadline timer can
            // cancel the HTTP/2 stream first and surface a TaskCanceledException instead (which is
            // why the store maps both to CoordinationUnavailableException).
            Exception? late = await Record.ExceptionAsync(() => client.GetAsync(key, deadline: InSeconds(1)));
            Assert.True(
                late is RpcException { StatusCode: StatusCode.DeadlineExceeded } or OperationCanceledException,
                $"expected a deadline failure, got {late?.GetType().Name ?? "none"}: {late?.Message}");

            // The channel sets ThrowOperationCanceledOnCancellation: a cancelled token throws
            // OperationCanceledException, not RpcException(Cancelled).
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                client.GetAsync(key, cancellationToken: cancel.Token));
        }
        finally
        {
            server.Resume();
        }

        RangeResponse again = await UntilAnsweredAsync(() => client.GetAsync(key, deadline: InSeconds(2)));
        Assert.Equal("v", Assert.Single(again.Kvs).Value.ToStringUtf8());
    }

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>A gRPC deadline: dotnet-etcd takes an absolute UTC time.</summary>
    private static DateTime InSeconds(int seconds) => TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(seconds);

    private static TxnRequest CreateIfAbsent(string key, string value, long lease)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = Bytes(key),
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = 0,
        });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes(key), Value = Bytes(value), Lease = lease } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Bytes(key) } });
        return txn;
    }

    /// <summary>Watches with <paramref name="create"/> until a response matches, up to a deadline.</summary>
    private static async Task<WatchResponse> FirstWatchResponseAsync(
        EtcdClient client, WatchCreateRequest create, Func<WatchResponse, bool> match)
    {
        var seen = new TaskCompletionSource<WatchResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        long watchId = await client.WatchAsync(
            new WatchRequest { CreateRequest = create },
            (WatchResponse response) =>
            {
                if (match(response))
                {
                    seen.TrySetResult(response);
                }
            });
        try
        {
            return await seen.Task.WaitAsync(EventDeadline);
        }
        finally
        {
            client.CancelWatch(watchId);
        }
    }

    /// <summary>Repeats a call that fails while the client reconnects, until it answers or a deadline passes.</summary>
    private static async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        const int maxAttempts = 100;
        TimeSpan deadline = TimeSpan.FromSeconds(30);
        long started = TimeProvider.System.GetTimestamp();
        RpcException? last = null;
        for (int attempt = 0; attempt < maxAttempts && TimeProvider.System.GetElapsedTime(started) < deadline; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }

        throw new TimeoutException($"etcd did not answer again within 30 s; last error: {last?.Status}");
    }
}
