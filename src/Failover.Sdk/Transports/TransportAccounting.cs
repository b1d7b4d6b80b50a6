using Failover.Sdk.Telemetry;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>
/// Records each send, receipt and rejection of one transport in both its
/// <see cref="TransportCounters"/> and the meter, so the two never disagree.
/// </summary>
internal sealed class TransportAccounting
{
    private readonly FailoverMetrics _metrics;

    // Cached once: a tag built per frame would allocate on the heartbeat path.
    private readonly string _pathTag;

    public TransportAccounting(TransportSettings settings)
    {
        _metrics = settings.Metrics;
        _pathTag = FailoverMetrics.PathTag(settings.PathId);
    }

    public TransportCounters Counters { get; } = new();

    public void Sent(FrameType type)
    {
        Counters.OnSent();
        _metrics.FrameSent(_pathTag, type);
    }

    public void SendFailed()
    {
        Counters.OnSendFailure();
        _metrics.SendFailed(_pathTag);
    }

    public void Received(FrameType type)
    {
        Counters.OnReceived();
        _metrics.FrameReceived(_pathTag, type);
    }

    public void Rejected(FrameRejectReason reason)
    {
        Counters.OnRejected(reason);
        _metrics.FrameRejected(_pathTag, reason);
    }

    public void ConnectionError() => Counters.OnConnectionError();
}
