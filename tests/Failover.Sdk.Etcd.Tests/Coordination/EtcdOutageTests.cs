using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Tests.Support;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>
/// What a caller of the etcd store sees when etcd is stopped and restarted, frozen, or not
/// there at all: a typed error naming the endpoint within the request timeout, never a hang,
/// and the same lease and ownership once etcd is back.
/// </summary>
[Collection(RealTime.Name)]
public sealed class EtcdOutageTests
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public async Task Stopped_etcd_fails_calls_naming_the_endpoint_and_after_a_restart_the_lease_and_ownership_are_back()
    {
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        TimeSpan timeout = Timeout;
        await using EtcdCoordinationStore store = EtcdCoordinationStoreTests.NewStore(server.ClientUrl, requestTimeout: timeout);
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30));
        OwnershipClaim claim = await store.TryAcquireAsync("report", 1, lease.Id);
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task watching = WatchUntilItEndsAsync(store, claim.Revision, delivered);
        await store.JoinAsync(new ClusterMember(1, 1, lease.Id));
        await delivered.Task.WaitAsync(EventDeadline); // the watch is open: it delivered the join

        await server.StopAsync();

        // A watch open across the outage ends; it does not resume behind the caller's back.
        CoordinationUnavailableException broken = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => watching.WaitAsync(EventDeadline));
        Assert.Contains(server.ClientUrl, broken.Message, StringComparison.Ordinal);
        foreach ((string what, Func<Task> call) in new (string, Func<Task>)[]
        {
            ("renewal", async () => await store.KeepAliveAsync(lease.Id)),
            ("read", async () => await store.GetOwnerAsync("report")),
            ("claim", async () => await store.TryAcquireAsync("other", 1, lease.Id)),
            ("watch", async () => await EtcdCoordinationStoreTests.FirstAsync(store, claim.Revision, _ => true)),
        })
        {
            long started = Stopwatch.GetTimestamp();
            CoordinationUnavailableException down = await Assert.ThrowsAsync<CoordinationUnavailableException>(call);
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            Assert.Contains(server.ClientUrl, down.Message, StringComparison.Ordinal);
            Assert.True(took < timeout + TimeSpan.FromSeconds(1), $"the {what} failed after {took.TotalMilliseconds:F0} ms; the request timeout is {timeout.TotalMilliseconds:F0} ms");
        }

        await server.RestartAsync();

        // etcd renews every lease in full when it elects a leader, so the held lease is back.
        await UntilAnsweredAsync(async () => Assert.True(await store.KeepAliveAsync(lease.Id)));
        Assert.Equal(claim.Owner, (await store.GetOwnerAsync("report")).Owner);
        using var raw = new EtcdClient(server.ClientUrl);
        LeaseTimeToLiveResponse left = await raw.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = lease.Id });
        Assert.InRange(left.TTL, 20, 30);
    }

    [SkippableFact]
    public async Task Frozen_etcd_fails_a_call_at_the_request_timeout_and_the_callers_cancellation_stays_a_cancellation()
    {
        Skip.IfNot(Signals.Supported, "SIGSTOP/SIGCONT numbers are Linux's");
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        TimeSpan timeout = Timeout;
        await using EtcdCoordinationStore store = EtcdCoordinationStoreTests.NewStore(server.ClientUrl, requestTimeout: timeout);
        CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30));

        server.Pause();
        try
        {
            long started = Stopwatch.GetTimestamp();
            CoordinationUnavailableException late = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await store.KeepAliveAsync(lease.Id));
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            Assert.InRange(took, timeout - TimeSpan.FromMilliseconds(100), timeout + TimeSpan.FromSeconds(1));
            Assert.Contains(server.ClientUrl, late.Message, StringComparison.Ordinal);
            // Usually DeadlineExceeded; on a loaded machine gRPC may report the expired call as
            // Cancelled first. Either way the caller gets the same typed error within the timeout.
            Assert.Matches("\\((DeadlineExceeded|Cancelled)[;:]", late.Message);

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            Exception cancelled = await Record.ExceptionAsync(async () => await store.GetOwnerAsync("report", cancel.Token));
            Assert.IsAssignableFrom<OperationCanceledException>(cancelled);
        }
        finally
        {
            server.Resume();
        }

        await UntilAnsweredAsync(async () => Assert.True(await store.KeepAliveAsync(lease.Id)));
    }

    [SkippableFact]
    public async Task An_endpoint_nobody_listens_on_is_a_typed_error_naming_it_within_the_request_timeout()
    {
        EtcdFixture.RequireEtcd();
        int port = ClosedPort();
        string url = $"http://127.0.0.1:{port}";
        TimeSpan timeout = Timeout;
        await using EtcdCoordinationStore store = EtcdCoordinationStoreTests.NewStore(url, requestTimeout: timeout);

        for (int attempt = 0; attempt < 3; attempt++)
        {
            long started = Stopwatch.GetTimestamp();
            CoordinationUnavailableException error = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await store.GrantLeaseAsync(TimeSpan.FromSeconds(5)));
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            Assert.Contains(url, error.Message, StringComparison.Ordinal);
            Assert.Contains("a lease grant", error.Message, StringComparison.Ordinal);
            Assert.True(took < timeout + TimeSpan.FromMilliseconds(500), $"attempt {attempt} failed after {took.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>Repeats <paramref name="call"/> while etcd is unreachable, until it passes or a deadline.</summary>
    private static async Task UntilAnsweredAsync(Func<Task> call)
    {
        const int maxAttempts = 300;
        TimeSpan deadline = TimeSpan.FromSeconds(30);
        long started = Stopwatch.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (CoordinationUnavailableException) when (attempt < maxAttempts && Stopwatch.GetElapsedTime(started) < deadline)
            {
                // etcd is still coming back: ask again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static async Task WatchUntilItEndsAsync(EtcdCoordinationStore store, long afterRevision, TaskCompletionSource delivered)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (CoordinationEvent change in store.WatchAsync(afterRevision, deadline.Token))
        {
            delivered.TrySetResult();
        }
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
