using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>
/// Sends and receives frames on one network path (one NIC, one transport). An agent has
/// one transport per path, so each path is judged on its own.
/// </summary>
public interface IFrameTransport : IAsyncDisposable
{
    /// <summary>The network path this transport carries; stamped on every frame it sends.</summary>
    ushort PathId { get; }

    /// <summary>What the transport has sent, received and rejected.</summary>
    TransportCounters Counters { get; }

    /// <summary>
    /// Starts receiving. Every accepted frame is handed to <paramref name="handler"/> on the
    /// transport's receive loop. Called once.
    /// </summary>
    Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="frame"/> to the node named by <see cref="Frame.Target"/>.
    /// Network errors never throw: they are logged and counted, and the result is false.
    /// </summary>
    ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken = default);
}
