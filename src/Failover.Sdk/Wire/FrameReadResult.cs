namespace Failover.Sdk.Wire;

/// <summary>The outcome of <see cref="FrameReader"/>: a frame, "need more data", or a rejection with its reason.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Reason">Why the input was rejected; <see cref="FrameRejectReason.None"/> otherwise.</param>
/// <param name="BytesConsumed">
/// Bytes the frame occupied. On a rejection, zero means framing is lost (a stream must be
/// closed); non-zero means the frame was delimited and the stream can go on after it.
/// </param>
/// <param name="IsAuthenticated">Whether the frame's tag was verified with the receiver's key.</param>
public readonly record struct FrameReadResult(
    FrameReadStatus Status,
    FrameRejectReason Reason,
    int BytesConsumed,
    bool IsAuthenticated)
{
    internal static FrameReadResult NeedMoreData => new(FrameReadStatus.NeedMoreData, FrameRejectReason.None, 0, false);

    internal static FrameReadResult Reject(FrameRejectReason reason, int consumed = 0) =>
        new(FrameReadStatus.Rejected, reason, consumed, false);

    internal static FrameReadResult Accept(int consumed, bool authenticated) =>
        new(FrameReadStatus.Frame, FrameRejectReason.None, consumed, authenticated);
}
