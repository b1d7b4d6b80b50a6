using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>Running totals of one transport, safe to read from any thread.</summary>
public sealed class TransportCounters
{
    private static readonly int ReasonCount = Enum.GetValues<FrameRejectReason>().Length;

    private readonly long[] _rejected = new long[ReasonCount];
    private long _sent;
    private long _received;
    private long _sendFailures;
    private long _connectionErrors;

    /// <summary>Frames handed to the network.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Frames accepted and passed to the handler.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Sends that failed: no route, socket error, peer gone.</summary>
    public long SendFailures => Volatile.Read(ref _sendFailures);

    /// <summary>Receive-side socket or connection errors the transport survived.</summary>
    public long ConnectionErrors => Volatile.Read(ref _connectionErrors);

    /// <summary>All rejected inputs, whatever the reason.</summary>
    public long Rejected
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _rejected.Length; i++)
            {
                total += Volatile.Read(ref _rejected[i]);
            }

            return total;
        }
    }

    /// <summary>Rejected inputs for one reason.</summary>
    public long RejectedFor(FrameRejectReason reason) => Volatile.Read(ref _rejected[(int)reason]);

    internal void OnSent() => Interlocked.Increment(ref _sent);

    internal void OnReceived() => Interlocked.Increment(ref _received);

    internal void OnSendFailure() => Interlocked.Increment(ref _sendFailures);

    internal void OnConnectionError() => Interlocked.Increment(ref _connectionErrors);

    internal void OnRejected(FrameRejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);
}
