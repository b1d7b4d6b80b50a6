namespace Failover.Sdk.Wire;

/// <summary>The outcome of reading one frame.</summary>
public enum FrameReadStatus : byte
{
    /// <summary>A frame was read and accepted.</summary>
    Frame,

    /// <summary>A stream holds only part of a frame; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>The input was rejected; <see cref="FrameReadResult.Reason"/> says why.</summary>
    Rejected,
}
