namespace Failover.Sdk.Wire;

/// <summary>Why a frame was rejected. Every rejection is counted by reason.</summary>
public enum FrameRejectReason : byte
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>A datagram shorter than its header, or than its length field says.</summary>
    Truncated,

    /// <summary>The first two bytes are not the protocol's magic number.</summary>
    BadMagic,

    /// <summary>A protocol version this reader does not speak.</summary>
    UnsupportedVersion,

    /// <summary>A frame type this reader does not know.</summary>
    UnknownFrameType,

    /// <summary>Undefined flag bits or the reserved byte are not zero.</summary>
    ReservedBitsSet,

    /// <summary>The length field exceeds the configured maximum.</summary>
    Oversized,

    /// <summary>The length field is not the exact size of the frame's type.</summary>
    LengthMismatch,

    /// <summary>A datagram carries bytes after the frame.</summary>
    TrailingBytes,

    /// <summary>A frame names sender node 0, which no node may use.</summary>
    InvalidSender,

    /// <summary>The receiver requires authentication and the frame has no tag.</summary>
    MissingTag,

    /// <summary>The authentication tag does not match the frame.</summary>
    BadTag,

    /// <summary>A frame already received (same sender, path, incarnation and sequence).</summary>
    Replayed,

    /// <summary>A frame from an older incarnation, or older than the replay window.</summary>
    Stale,

    /// <summary>The replay window tracks as many (sender, path) pairs as it may; a new pair is refused.</summary>
    TooManySenders,
}
