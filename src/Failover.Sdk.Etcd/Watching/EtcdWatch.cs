using System.Runtime.CompilerServices;
using Etcdserverpb;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Client;
using Failover.Sdk.Etcd.Keys;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Mvccpb;

namespace Failover.Sdk.Etcd.Watching;

/// <summary>
/// One watch over the store's whole prefix on a gRPC stream of its own, from a revision on,
/// with the previous value of every key so removals say what was removed.
/// </summary>
/// <remarks>
/// dotnet-etcd's watch manager shares one stream per client, writes to the console, and
/// reconnects silently, resuming after the revision of its last message; a caller could not
/// tell that events were skipped. Here, a broken stream ends the watch with
/// <see cref="CoordinationUnavailableException"/>, and the caller reads again and watches from
/// that read, which is how it misses nothing.
/// </remarks>
internal sealed class EtcdWatch(Watch.WatchClient client, EtcdKeyLayout layout, EtcdCalls calls, TimeProvider time, ILogger logger)
{
    public async IAsyncEnumerable<CoordinationEvent> RunAsync(long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // No deadline on the stream: it lives as long as the watch. Only its start is bounded.
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> stream = client.Watch(cancellationToken: cancellationToken);
        await StartAsync(stream, afterRevision, cancellationToken).ConfigureAwait(false);
        long last = afterRevision;
        // Bounded by the stream: it ends with the caller's token, an error, or etcd.
        while (true)
        {
            WatchResponse response = await NextAsync(stream, last, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            ThrowIfCancelled(response, afterRevision);
            foreach (Event change in response.Events)
            {
                if (ToEvent(change) is { } coordinationEvent)
                {
                    last = coordinationEvent.Revision;
                    yield return coordinationEvent;
                }
            }
        }
    }

    private async Task StartAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> stream, long afterRevision, CancellationToken cancellationToken)
    {
        var create = new WatchCreateRequest
        {
            Key = layout.All,
            RangeEnd = layout.AllEnd,
            StartRevision = afterRevision + 1,
            PrevKv = true,
        };

        try
        {
            await stream.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (calls.Translate(ex, "a watch", cancellationToken) is { } translated)
        {
            throw translated;
        }

        // Until etcd confirms the watch, a silent server is an unreachable one.
        WatchResponse created = await NextAsync(stream, afterRevision, calls.Timeout, cancellationToken).ConfigureAwait(false);
        ThrowIfCancelled(created, afterRevision);
        if (!created.Created)
        {
            throw calls.Unavailable("a watch", "its first answer was not the confirmation of the watch");
        }
    }

    /// <summary>The next response, within <paramref name="timeout"/> when it is above zero.</summary>
    private async Task<WatchResponse> NextAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> stream, long last, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = timeout > TimeSpan.Zero ? new CancellationTokenSource(timeout, time) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        CancellationToken token = linked?.Token ?? cancellationToken;
        try
        {
            if (await stream.ResponseStream.MoveNext(token).ConfigureAwait(false))
            {
                return stream.ResponseStream.Current;
            }
        }
        catch (Exception ex) when (calls.Translate(ex, "a watch", cancellationToken) is { } translated)
        {
            EtcdLog.WatchBroken(logger, calls.Endpoints, last, ex);
            throw translated;
        }

        throw calls.Unavailable("a watch", $"etcd ended the watch stream after revision {last}");
    }

    private void ThrowIfCancelled(WatchResponse response, long afterRevision)
    {
        if (!response.Canceled)
        {
            return;
        }

        if (response.CompactRevision > 0)
        {
            // Changes at the compact revision itself may be gone too: compaction drops a key
            // deleted at that revision (its tombstone) along with the older ones.
            EtcdLog.WatchCompacted(logger, afterRevision, response.CompactRevision);
            throw new CoordinationHistoryCompactedException(afterRevision, response.CompactRevision);
        }

        throw new CoordinationException($"etcd at {calls.Endpoints} cancelled a watch: {(string.IsNullOrEmpty(response.CancelReason) ? "no reason given" : response.CancelReason)}.");
    }

    private CoordinationEvent? ToEvent(Event change)
    {
        EtcdKey key = layout.Classify(change.Kv.Key);
        long revision = change.Kv.ModRevision;
        bool put = change.Type == Event.Types.EventType.Put;
        switch (key.Kind)
        {
            case EtcdKeyKind.Owner when put:
                // An unreadable value (a newer format, a stray tool) is still news for that one
                // workload: its owner is unknown, so a term under it ends and a campaign re-reads
                // (and gets the typed error). Throwing here would end every watch on the prefix,
                // again at every retry from the same revision.
                return new CoordinationEvent(CoordinationEventKind.OwnerSet, revision, key.WorkloadId, Readable(change.Kv, key, kv => EtcdValues.ReadOwner(kv, key.WorkloadId!)));
            case EtcdKeyKind.Owner:
                return new CoordinationEvent(CoordinationEventKind.OwnerRemoved, revision, key.WorkloadId, Removed(change.PrevKv, key, kv => EtcdValues.ReadOwner(kv, key.WorkloadId!)));
            case EtcdKeyKind.Member when put:
                return new CoordinationEvent(CoordinationEventKind.MemberJoined, revision, Member: Readable(change.Kv, key, kv => EtcdValues.ReadMember(kv, key.NodeId)), NodeId: key.NodeId);
            case EtcdKeyKind.Member:
                return new CoordinationEvent(CoordinationEventKind.MemberLeft, revision, Member: Removed(change.PrevKv, key, kv => EtcdValues.ReadMember(kv, key.NodeId)), NodeId: key.NodeId);
            case EtcdKeyKind.BadMember:
                EtcdLog.CorruptValue(logger, key.Text, "the node id in the key is not a decimal number from 1 to 4294967295");
                return null; // no node to tell anyone about
            default:
                return null; // not a key this store writes
        }
    }

    /// <summary>What a removed key held: the removal itself is news even when its old value does not read.</summary>
    private T? Removed<T>(KeyValue? previous, EtcdKey key, Func<KeyValue, T> read)
        where T : class
        => previous is null || previous.Key.IsEmpty ? null : Readable(previous, key, read);

    /// <summary>The value read, or null (logged) when it does not read.</summary>
    private T? Readable<T>(KeyValue value, EtcdKey key, Func<KeyValue, T> read)
        where T : class
    {
        try
        {
            return read(value);
        }
        catch (CoordinationException ex)
        {
            EtcdLog.CorruptValue(logger, key.Text, ex.Message);
            return null;
        }
    }
}
