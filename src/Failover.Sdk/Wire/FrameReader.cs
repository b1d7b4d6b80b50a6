using System.Buffers;
using System.Buffers.Binary;

namespace Failover.Sdk.Wire;

/// <summary>
/// Decodes frames from datagrams (<see cref="ReadOnlySpan{T}"/>) and streams
/// (<see cref="ReadOnlySequence{T}"/>). Never throws on input and never allocates: every
/// malformed, forged, replayed or stale input becomes a <see cref="FrameReadResult"/>
/// with its <see cref="FrameRejectReason"/>.
/// </summary>
/// <remarks>
/// A reader owns the replay window of one receiver, so use one reader per receiving
/// endpoint. It is thread-safe.
/// </remarks>
public sealed class FrameReader
{
    private readonly int _maxFrameLength;
    private readonly FrameAuthenticator? _authenticator;
    private readonly bool _requireAuthentication;
    private readonly ReplayWindow? _replay;

    /// <summary>Creates a reader with the given options (the defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FrameReader(FrameReaderOptions? options = null)
    {
        options ??= new FrameReaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFrameLength, FrameLayout.HeaderLength, nameof(options.MaxFrameLength));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReplayWindowCapacity, nameof(options.ReplayWindowCapacity));
        _maxFrameLength = options.MaxFrameLength;
        _authenticator = options.Authenticator;
        _requireAuthentication = options.RequireAuthentication && options.Authenticator is not null;
        _replay = options.ReplayWindowCapacity > 0 ? new ReplayWindow(options.ReplayWindowCapacity) : null;
    }

    /// <summary>Reads a datagram that must hold exactly one frame.</summary>
    public FrameReadResult Read(ReadOnlySpan<byte> datagram, out Frame frame)
    {
        frame = default;
        if (datagram.Length < FrameLayout.HeaderLength)
        {
            return FrameReadResult.Reject(FrameRejectReason.Truncated);
        }

        FrameRejectReason header = FrameLayout.CheckHeader(datagram, _maxFrameLength, out int length);
        if (header != FrameRejectReason.None)
        {
            return FrameReadResult.Reject(header);
        }

        if (datagram.Length != length)
        {
            return FrameReadResult.Reject(datagram.Length < length ? FrameRejectReason.Truncated : FrameRejectReason.TrailingBytes);
        }

        return ReadDelimited(datagram, out frame);
    }

    /// <summary>
    /// Reads the first frame of a stream buffer. <see cref="FrameReadStatus.NeedMoreData"/>
    /// consumes nothing; a rejection with zero bytes consumed means framing is lost.
    /// </summary>
    public FrameReadResult Read(in ReadOnlySequence<byte> buffer, out Frame frame)
    {
        frame = default;
        if (buffer.Length < FrameLayout.HeaderLength)
        {
            return FrameReadResult.NeedMoreData;
        }

        // Only up to the largest frame is ever copied, and only when it spans segments.
        Span<byte> scratch = stackalloc byte[FrameLayout.MaxFrameLength];
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        ReadOnlySpan<byte> header = first.Length >= FrameLayout.HeaderLength ? first : Copy(buffer, FrameLayout.HeaderLength, scratch);

        FrameRejectReason reason = FrameLayout.CheckHeader(header, _maxFrameLength, out int length);
        if (reason != FrameRejectReason.None)
        {
            return FrameReadResult.Reject(reason);
        }

        if (buffer.Length < length)
        {
            return FrameReadResult.NeedMoreData;
        }

        ReadOnlySpan<byte> bytes = first.Length >= length ? first[..length] : Copy(buffer, length, scratch);
        return ReadDelimited(bytes, out frame);
    }

    private static ReadOnlySpan<byte> Copy(in ReadOnlySequence<byte> buffer, int count, Span<byte> scratch)
    {
        Span<byte> target = scratch[..count];
        buffer.Slice(0, count).CopyTo(target);
        return target;
    }

    /// <summary>Checks tag, sender and replay of a frame whose header and length are valid, then decodes it.</summary>
    private FrameReadResult ReadDelimited(ReadOnlySpan<byte> f, out Frame frame)
    {
        frame = default;
        int length = f.Length;
        bool tagged = (f[FrameLayout.OffsetFlags] & FrameLayout.AuthenticatedFlag) != 0;
        bool authenticated = false;
        if (_authenticator is not null)
        {
            if (tagged)
            {
                int body = length - FrameLayout.TagLength;
                if (!_authenticator.Verify(f[..body], f[body..]))
                {
                    return FrameReadResult.Reject(FrameRejectReason.BadTag, length);
                }

                authenticated = true;
            }
            else if (_requireAuthentication)
            {
                return FrameReadResult.Reject(FrameRejectReason.MissingTag, length);
            }
        }

        uint sender = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetSender..]);
        if (sender == 0)
        {
            return FrameReadResult.Reject(FrameRejectReason.InvalidSender, length);
        }

        ushort path = BinaryPrimitives.ReadUInt16BigEndian(f[FrameLayout.OffsetPath..]);
        uint incarnation = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetIncarnation..]);
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(f[FrameLayout.OffsetSequence..]);
        if (_replay is not null)
        {
            FrameRejectReason replay = _replay.Check(sender, path, incarnation, sequence);
            if (replay != FrameRejectReason.None)
            {
                return FrameReadResult.Reject(replay, length);
            }
        }

        FrameType type = (FrameType)f[FrameLayout.OffsetType];
        frame = new Frame
        {
            Type = type,
            Sender = sender,
            Target = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetTarget..]),
            PathId = path,
            Incarnation = incarnation,
            Sequence = sequence,
            Timestamp = BinaryPrimitives.ReadInt64BigEndian(f[FrameLayout.OffsetTimestamp..]),
            FencingEpoch = BinaryPrimitives.ReadUInt64BigEndian(f[FrameLayout.OffsetEpoch..]),
            WorkloadId = type is FrameType.Probe or FrameType.ProbeReply
                ? BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetWorkload..]) : 0,
            Key = type is FrameType.Probe or FrameType.ProbeReply
                ? BinaryPrimitives.ReadUInt128BigEndian(f[FrameLayout.OffsetKey..]) : UInt128.Zero,
            Response = type is FrameType.ProbeReply
                ? BinaryPrimitives.ReadUInt128BigEndian(f[FrameLayout.OffsetResponse..]) : UInt128.Zero,
            RequestId = type is FrameType.DiagnosticProbe or FrameType.DiagnosticReply
                ? BinaryPrimitives.ReadUInt64BigEndian(f[FrameLayout.OffsetRequestId..]) : 0,
            DiagnosticStep = type is FrameType.DiagnosticProbe or FrameType.DiagnosticReply ? f[FrameLayout.OffsetStep] : (byte)0,
            DiagnosticStatus = type is FrameType.DiagnosticReply ? f[FrameLayout.OffsetStatus] : (byte)0,
        };
        return FrameReadResult.Accept(length, authenticated);
    }
}
