namespace Failover.Sdk.Transports;

/// <summary>How and when a frame arrived.</summary>
/// <param name="PathId">The path (transport) it arrived on.</param>
/// <param name="IsAuthenticated">Whether its tag was verified with the shared key.</param>
/// <param name="ReceivedAt">The receiver's monotonic <see cref="TimeProvider.GetTimestamp"/> at arrival.</param>
public readonly record struct FrameReceipt(ushort PathId, bool IsAuthenticated, long ReceivedAt);
