namespace Failover.Sdk.Transports;

/// <summary>
/// The log throttles of one TCP transport, shared by all its connections, so that a
/// hundred hostile connections cost no more log lines than one.
/// </summary>
internal sealed class TcpTransportLogs(TimeProvider time)
{
    public LogThrottle Rejected { get; } = new(time);

    public LogThrottle FramingLost { get; } = new(time);

    public LogThrottle Read { get; } = new(time);

    public LogThrottle Accept { get; } = new(time);

    public LogThrottle InboundLimit { get; } = new(time);

    public LogThrottle NoRoute { get; } = new(time);
}
