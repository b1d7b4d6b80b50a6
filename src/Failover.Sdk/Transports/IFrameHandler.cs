using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>Receives the frames a transport accepted.</summary>
public interface IFrameHandler
{
    /// <summary>
    /// Called on the transport's receive loop for each accepted frame. Must be quick and
    /// must not block: the next frame waits for it.
    /// </summary>
    void OnFrame(in Frame frame, in FrameReceipt receipt);
}
