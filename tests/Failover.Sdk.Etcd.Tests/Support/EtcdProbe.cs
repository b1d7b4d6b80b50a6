using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// Lets time pass in etcd's own terms without sleeping: a key on a probe lease of the span
/// asked is written, and the wait ends when etcd deletes it, that is, once etcd itself has
/// counted the span (plus its expiry check) as gone.
/// </summary>
internal static class EtcdProbe
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(15);

    public static async Task ElapseAsync(EtcdClient client, TimeSpan span)
    {
        long seconds = Math.Max(1, (span.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
        ByteString key = ByteString.CopyFromUtf8($"/failover-tests/probes/{Guid.NewGuid():N}");
        LeaseGrantResponse lease = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds });
        PutResponse put = await client.PutAsync(new PutRequest { Key = key, Value = ByteString.CopyFromUtf8("probe"), Lease = lease.ID });

        using var deadline = new CancellationTokenSource(span + Slack);
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> watch = client.GetConnection().WatchClient.Watch(cancellationToken: deadline.Token);
        // From the put's revision on: a deletion before the watch is registered is replayed.
        await watch.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = key, StartRevision = put.Header.Revision + 1 } });
        try
        {
            while (await watch.ResponseStream.MoveNext(deadline.Token))
            {
                if (watch.ResponseStream.Current.Events.Any(e => e.Type == Event.Types.EventType.Delete))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"etcd did not expire a {seconds} s probe lease within {span + Slack}.");
    }
}
