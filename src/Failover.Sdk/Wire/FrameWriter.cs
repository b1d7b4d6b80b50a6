using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Failover.Sdk.Wire;

/// <summary>
/// Encodes frames into caller-owned memory. Allocation-free; with an authenticator every
/// frame carries a 16-byte tag.
/// </summary>
/// <remarks>Thread-safe: it holds no state besides the optional authenticator.</remarks>
public sealed class FrameWriter
{
    private readonly FrameAuthenticator? _authenticator;

    /// <summary>Creates a writer; frames are tagged when <paramref name="authenticator"/> is given.</summary>
    public FrameWriter(FrameAuthenticator? authenticator = null) => _authenticator = authenticator;

    /// <summary>Whether this writer appends an authentication tag.</summary>
    public bool Authenticates => _authenticator is not null;

    /// <summary>The encoded length of a frame of <paramref name="type"/>, tag included.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The type is not defined.</exception>
    public int GetLength(FrameType type)
    {
        int untagged = FrameLayout.UntaggedLength(type);
        if (untagged == 0)
        {
            ThrowUndefinedType(type);
        }

        return _authenticator is null ? untagged : untagged + FrameLayout.TagLength;
    }

    /// <summary>Encodes <paramref name="frame"/> into <paramref name="output"/> and advances it.</summary>
    /// <returns>The number of bytes written.</returns>
    public int Write(in Frame frame, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int length = GetLength(frame.Type);
        int written = Write(frame, output.GetSpan(length));
        output.Advance(written);
        return written;
    }

    /// <summary>Encodes <paramref name="frame"/> at the start of <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetLength"/>.</exception>
    public int Write(in Frame frame, Span<byte> destination)
    {
        int length = GetLength(frame.Type);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; a {frame.Type} frame needs {length}.", nameof(destination));
        }

        Span<byte> f = destination[..length];

        // Every type starts with the header and the common fields; a view of constant
        // length lets the JIT drop the bounds checks of these writes.
        Span<byte> common = f[..FrameLayout.CommonEnd];
        BinaryPrimitives.WriteUInt16BigEndian(common, FrameLayout.Magic);
        common[FrameLayout.OffsetVersion] = FrameLayout.Version;
        common[FrameLayout.OffsetType] = (byte)frame.Type;
        common[FrameLayout.OffsetFlags] = _authenticator is null ? (byte)0 : FrameLayout.AuthenticatedFlag;
        common[FrameLayout.OffsetReserved] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(common[FrameLayout.OffsetLength..], (ushort)(length - FrameLayout.HeaderLength));

        BinaryPrimitives.WriteUInt32BigEndian(common[FrameLayout.OffsetSender..], frame.Sender);
        BinaryPrimitives.WriteUInt32BigEndian(common[FrameLayout.OffsetTarget..], frame.Target);
        BinaryPrimitives.WriteUInt16BigEndian(common[FrameLayout.OffsetPath..], frame.PathId);
        BinaryPrimitives.WriteUInt32BigEndian(common[FrameLayout.OffsetIncarnation..], frame.Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(common[FrameLayout.OffsetSequence..], frame.Sequence);
        BinaryPrimitives.WriteInt64BigEndian(common[FrameLayout.OffsetTimestamp..], frame.Timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(common[FrameLayout.OffsetEpoch..], frame.FencingEpoch);

        switch (frame.Type)
        {
            case FrameType.Probe:
                BinaryPrimitives.WriteUInt32BigEndian(f[FrameLayout.OffsetWorkload..], frame.WorkloadId);
                BinaryPrimitives.WriteUInt128BigEndian(f[FrameLayout.OffsetKey..], frame.Key);
                break;
            case FrameType.ProbeReply:
                BinaryPrimitives.WriteUInt32BigEndian(f[FrameLayout.OffsetWorkload..], frame.WorkloadId);
                BinaryPrimitives.WriteUInt128BigEndian(f[FrameLayout.OffsetKey..], frame.Key);
                BinaryPrimitives.WriteUInt128BigEndian(f[FrameLayout.OffsetResponse..], frame.Response);
                break;
            case FrameType.DiagnosticProbe:
                BinaryPrimitives.WriteUInt64BigEndian(f[FrameLayout.OffsetRequestId..], frame.RequestId);
                f[FrameLayout.OffsetStep] = frame.DiagnosticStep;
                break;
            case FrameType.DiagnosticReply:
                BinaryPrimitives.WriteUInt64BigEndian(f[FrameLayout.OffsetRequestId..], frame.RequestId);
                f[FrameLayout.OffsetStep] = frame.DiagnosticStep;
                f[FrameLayout.OffsetStatus] = frame.DiagnosticStatus;
                break;
            case FrameType.WorkloadHeartbeat:
                BinaryPrimitives.WriteUInt32BigEndian(f[FrameLayout.OffsetWorkload..], frame.WorkloadId);
                break;
            case FrameType.WorkloadCommand:
            case FrameType.WorkloadCommandReply:
                BinaryPrimitives.WriteUInt32BigEndian(f[FrameLayout.OffsetWorkload..], frame.WorkloadId);
                BinaryPrimitives.WriteUInt64BigEndian(f[FrameLayout.OffsetCommandRequestId..], frame.RequestId);
                f[FrameLayout.OffsetCommand] = frame.Command;
                f[FrameLayout.OffsetCommandStatus] = frame.CommandStatus;
                BinaryPrimitives.WriteUInt32BigEndian(f[FrameLayout.OffsetSubjectNode..], frame.SubjectNode);
                f[FrameLayout.OffsetFailureStreak] = frame.FailureStreak;
                break;
        }

        if (_authenticator is not null)
        {
            int body = length - FrameLayout.TagLength;
            _authenticator.ComputeTag(f[..body], f[body..]);
        }

        return length;
    }

    // Out of line, so that GetLength stays small enough to inline into Write.
    [DoesNotReturn]
    private static void ThrowUndefinedType(FrameType type) =>
        throw new ArgumentOutOfRangeException(nameof(type), type, "Not a defined frame type.");
}
