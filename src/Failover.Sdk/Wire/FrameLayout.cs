using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Failover.Sdk.Wire;

/// <summary>
/// Offsets and sizes of the version 1 wire format (all big-endian):
/// <code>
///  0       1       2       3       4       5       6       7
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// | magic 0xFA11  |version| type  | flags |reserved|    length    |
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// |   sender (4)                  |   target (4)                  |  8
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// | path (2)      |   incarnation (4)             |  sequence ... | 16
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// |       ... sequence (8)                        | timestamp ... | 24
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// |       ... timestamp (8)                       | epoch ...     | 32
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// |       ... fencing epoch (8)                   | type body...  | 40
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// [ 16-byte HMAC-SHA256 tag when flags bit 0 is set ]
/// </code>
/// Every type has one exact length, so the header alone tells whether a frame can be valid.
/// </summary>
internal static class FrameLayout
{
    public const ushort Magic = 0xFA11;
    public const byte Version = 1;
    public const byte AuthenticatedFlag = 0x01;

    public const int HeaderLength = 8;
    public const int TagLength = 16;

    public const int OffsetMagic = 0;
    public const int OffsetVersion = 2;
    public const int OffsetType = 3;
    public const int OffsetFlags = 4;
    public const int OffsetReserved = 5;
    public const int OffsetLength = 6;

    public const int OffsetSender = 8;
    public const int OffsetTarget = 12;
    public const int OffsetPath = 16;
    public const int OffsetIncarnation = 18;
    public const int OffsetSequence = 22;
    public const int OffsetTimestamp = 30;
    public const int OffsetEpoch = 38;
    public const int CommonEnd = 46;

    // Probe and probe reply.
    public const int OffsetWorkload = CommonEnd;
    public const int OffsetKey = CommonEnd + 4;
    public const int OffsetResponse = CommonEnd + 20;

    // Diagnostic probe and reply.
    public const int OffsetRequestId = CommonEnd;
    public const int OffsetStep = CommonEnd + 8;
    public const int OffsetStatus = CommonEnd + 9;

    // Workload command and reply (the workload id at OffsetWorkload).
    public const int OffsetCommandRequestId = CommonEnd + 4;
    public const int OffsetCommand = CommonEnd + 12;
    public const int OffsetCommandStatus = CommonEnd + 13;
    public const int OffsetSubjectNode = CommonEnd + 14;
    public const int OffsetFailureStreak = CommonEnd + 18;

    public const int HeartbeatLength = CommonEnd;
    public const int ProbeLength = CommonEnd + 20;
    public const int ProbeReplyLength = CommonEnd + 36;
    public const int DiagnosticProbeLength = CommonEnd + 9;
    public const int DiagnosticReplyLength = CommonEnd + 10;
    public const int WorkloadHeartbeatLength = CommonEnd + 4;
    public const int WorkloadCommandLength = CommonEnd + 19;

    /// <summary>The header of an untagged heartbeat (flags and reserved byte zero), read as one big-endian number.</summary>
    public const ulong UntaggedHeartbeatHeader =
        ((ulong)Magic << 48) | ((ulong)Version << 40) | ((ulong)FrameType.Heartbeat << 32) | (HeartbeatLength - HeaderLength);

    /// <summary>The largest frame any type can make: a tagged probe reply.</summary>
    public const int MaxFrameLength = ProbeReplyLength + TagLength;

    /// <summary>Frame length without tag for a type, or 0 when the type is unknown.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // Once per frame read and written; a call costs more than the switch.
    public static int UntaggedLength(FrameType type) => type switch
    {
        FrameType.Heartbeat => HeartbeatLength,
        FrameType.Probe => ProbeLength,
        FrameType.ProbeReply => ProbeReplyLength,
        FrameType.DiagnosticProbe => DiagnosticProbeLength,
        FrameType.DiagnosticReply => DiagnosticReplyLength,
        FrameType.WorkloadHeartbeat => WorkloadHeartbeatLength,
        FrameType.WorkloadCommand or FrameType.WorkloadCommandReply => WorkloadCommandLength,
        _ => 0,
    };

    /// <summary>
    /// Validates the 8-byte header at the start of <paramref name="bytes"/>, which holds at
    /// least <see cref="HeaderLength"/> bytes. On success <paramref name="frameLength"/> is
    /// the whole frame's length, tag included.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // Once per frame read; inlined, the checks fold into the caller's.
    public static FrameRejectReason CheckHeader(ReadOnlySpan<byte> bytes, int maxFrameLength, out int frameLength)
    {
        // A view of constant length lets the JIT drop the bounds checks below.
        ReadOnlySpan<byte> header = bytes[..HeaderLength];

        // Without a key nearly all traffic is untagged heartbeats, whose header is one known
        // value: a single comparison accepts it. Any other header takes the checks below.
        if (BinaryPrimitives.ReadUInt64BigEndian(header) == UntaggedHeartbeatHeader && HeartbeatLength <= maxFrameLength)
        {
            frameLength = HeartbeatLength;
            return FrameRejectReason.None;
        }

        frameLength = 0;
        if (BinaryPrimitives.ReadUInt16BigEndian(header) != Magic)
        {
            return FrameRejectReason.BadMagic;
        }

        if (header[OffsetVersion] != Version)
        {
            return FrameRejectReason.UnsupportedVersion;
        }

        int untagged = UntaggedLength((FrameType)header[OffsetType]);
        if (untagged == 0)
        {
            return FrameRejectReason.UnknownFrameType;
        }

        byte flags = header[OffsetFlags];
        if ((flags & ~AuthenticatedFlag) != 0 || header[OffsetReserved] != 0)
        {
            return FrameRejectReason.ReservedBitsSet;
        }

        // Checked before the length is trusted for anything else, so a hostile length can
        // never make a reader wait for or buffer more than the maximum.
        int length = HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(header[OffsetLength..]);
        if (length > maxFrameLength)
        {
            return FrameRejectReason.Oversized;
        }

        int expected = (flags & AuthenticatedFlag) != 0 ? untagged + TagLength : untagged;
        if (length != expected)
        {
            return FrameRejectReason.LengthMismatch;
        }

        frameLength = length;
        return FrameRejectReason.None;
    }
}
