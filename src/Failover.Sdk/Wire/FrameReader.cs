using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

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
        FrameRejectReason reason = Delimit(datagram);
        if (reason != FrameRejectReason.None)
        {
            frame = default;
            return FrameReadResult.Reject(reason);
        }

        return ReadDelimited(datagram, out frame);
    }

    /// <summary>Whether a datagram holds exactly one frame with a valid header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // Once per frame; see ReadDelimited.
    private FrameRejectReason Delimit(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < FrameLayout.HeaderLength)
        {
            return FrameRejectReason.Truncated;
        }

        FrameRejectReason header = FrameLayout.CheckHeader(datagram, _maxFrameLength, out int length);
        if (header != FrameRejectReason.None)
        {
            return header;
        }

        return datagram.Length == length ? FrameRejectReason.None
            : datagram.Length < length ? FrameRejectReason.Truncated
            : FrameRejectReason.TrailingBytes;
    }

    /// <summary>
    /// Reads the first frame of a stream buffer. <see cref="FrameReadStatus.NeedMoreData"/>
    /// consumes nothing; a rejection with zero bytes consumed means framing is lost.
    /// </summary>
    public FrameReadResult Read(in ReadOnlySequence<byte> buffer, out Frame frame)
    {
        // A first segment as long as the largest frame holds any whole frame, so reading it
        // alone reads the same as reading the whole buffer, without copying.
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        return first.Length >= FrameLayout.MaxFrameLength || buffer.IsSingleSegment
            ? ReadStream(first, out frame)
            : ReadStraddling(buffer, out frame);
    }

    /// <summary>Reads the first frame of a buffer whose first segment may end inside the frame.</summary>
    private FrameReadResult ReadStraddling(in ReadOnlySequence<byte> buffer, out Frame frame)
    {
        if (buffer.Length < FrameLayout.HeaderLength)
        {
            frame = default;
            return FrameReadResult.NeedMoreData;
        }

        // Only up to the largest frame is ever copied, and only when it spans segments.
        // Here rather than in Read, so that frames inside one segment do not pay for
        // clearing the scratch space.
        Span<byte> scratch = stackalloc byte[FrameLayout.MaxFrameLength];
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        ReadOnlySpan<byte> header = first.Length >= FrameLayout.HeaderLength ? first : Copy(buffer, FrameLayout.HeaderLength, scratch);
        FrameRejectReason reason = FrameLayout.CheckHeader(header, _maxFrameLength, out int length);
        if (reason != FrameRejectReason.None)
        {
            frame = default;
            return FrameReadResult.Reject(reason);
        }

        if (buffer.Length < length)
        {
            frame = default;
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

    /// <summary>Reads the first frame of contiguous stream bytes: a whole buffer, or a first segment that holds any frame.</summary>
    private FrameReadResult ReadStream(ReadOnlySpan<byte> available, out Frame frame)
    {
        if (available.Length < FrameLayout.HeaderLength)
        {
            frame = default;
            return FrameReadResult.NeedMoreData;
        }

        FrameRejectReason reason = FrameLayout.CheckHeader(available, _maxFrameLength, out int length);
        if (reason != FrameRejectReason.None)
        {
            frame = default;
            return FrameReadResult.Reject(reason);
        }

        if (available.Length < length)
        {
            frame = default;
            return FrameReadResult.NeedMoreData;
        }

        return ReadDelimited(available[..length], out frame);
    }

    /// <summary>Checks tag, sender and replay of a frame whose header and length are valid, then decodes it.</summary>
    private FrameReadResult ReadDelimited(ReadOnlySpan<byte> f, out Frame frame)
    {
        // One rejection and one acceptance, also in Read(span), where this is inlined: with
        // more return sites the JIT merges them and builds the result on the stack, which
        // costs a store-forwarding stall per frame.
        FrameRejectReason reason = Admit(f, out bool authenticated);
        if (reason != FrameRejectReason.None)
        {
            frame = default;
            return FrameReadResult.Reject(reason, f.Length);
        }

        Decode(f, out frame);
        return FrameReadResult.Accept(f.Length, authenticated);
    }

    /// <summary>Whether a delimited frame may be decoded: its tag, its sender, the replay window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // Once per frame; see ReadDelimited.
    private FrameRejectReason Admit(ReadOnlySpan<byte> f, out bool authenticated)
    {
        authenticated = false;
        if (_authenticator is not null)
        {
            if ((f[FrameLayout.OffsetFlags] & FrameLayout.AuthenticatedFlag) != 0)
            {
                int body = f.Length - FrameLayout.TagLength;
                if (!_authenticator.Verify(f[..body], f[body..]))
                {
                    return FrameRejectReason.BadTag;
                }

                authenticated = true;
            }
            else if (_requireAuthentication)
            {
                return FrameRejectReason.MissingTag;
            }
        }

        // Every type holds the common fields; a view of constant length lets the JIT drop
        // the bounds checks of the reads below (here and in Decode).
        ReadOnlySpan<byte> common = f[..FrameLayout.CommonEnd];
        uint sender = BinaryPrimitives.ReadUInt32BigEndian(common[FrameLayout.OffsetSender..]);
        if (sender == 0)
        {
            return FrameRejectReason.InvalidSender;
        }

        return _replay is null
            ? FrameRejectReason.None
            : _replay.Check(
                sender,
                BinaryPrimitives.ReadUInt16BigEndian(common[FrameLayout.OffsetPath..]),
                BinaryPrimitives.ReadUInt32BigEndian(common[FrameLayout.OffsetIncarnation..]),
                BinaryPrimitives.ReadUInt64BigEndian(common[FrameLayout.OffsetSequence..]),
                commit: authenticated || _authenticator is null);
    }

    /// <summary>Decodes an admitted frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // Once per frame; see ReadDelimited.
    private static void Decode(ReadOnlySpan<byte> f, out Frame frame)
    {
        ReadOnlySpan<byte> common = f[..FrameLayout.CommonEnd];
        frame = new Frame(
            (FrameType)common[FrameLayout.OffsetType],
            sender: BinaryPrimitives.ReadUInt32BigEndian(common[FrameLayout.OffsetSender..]),
            target: BinaryPrimitives.ReadUInt32BigEndian(common[FrameLayout.OffsetTarget..]),
            pathId: BinaryPrimitives.ReadUInt16BigEndian(common[FrameLayout.OffsetPath..]),
            incarnation: BinaryPrimitives.ReadUInt32BigEndian(common[FrameLayout.OffsetIncarnation..]),
            sequence: BinaryPrimitives.ReadUInt64BigEndian(common[FrameLayout.OffsetSequence..]),
            timestamp: BinaryPrimitives.ReadInt64BigEndian(common[FrameLayout.OffsetTimestamp..]),
            fencingEpoch: BinaryPrimitives.ReadUInt64BigEndian(common[FrameLayout.OffsetEpoch..]));

        // Heartbeats, nearly all the traffic, have no body.
        if (frame.Type != FrameType.Heartbeat)
        {
            DecodeBody(f, ref frame);
        }
    }

    /// <summary>Adds the type-specific fields; these rarer types pay for a copy of the frame.</summary>
    private static void DecodeBody(ReadOnlySpan<byte> f, ref Frame frame)
    {
        switch (frame.Type)
        {
            case FrameType.Probe:
                frame = frame with
                {
                    WorkloadId = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetWorkload..]),
                    Key = BinaryPrimitives.ReadUInt128BigEndian(f[FrameLayout.OffsetKey..]),
                };
                break;
            case FrameType.ProbeReply:
                frame = frame with
                {
                    WorkloadId = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetWorkload..]),
                    Key = BinaryPrimitives.ReadUInt128BigEndian(f[FrameLayout.OffsetKey..]),
                    Response = BinaryPrimitives.ReadUInt128BigEndian(f[FrameLayout.OffsetResponse..]),
                };
                break;
            case FrameType.DiagnosticProbe:
                frame = frame with
                {
                    RequestId = BinaryPrimitives.ReadUInt64BigEndian(f[FrameLayout.OffsetRequestId..]),
                    DiagnosticStep = f[FrameLayout.OffsetStep],
                };
                break;
            case FrameType.DiagnosticReply:
                frame = frame with
                {
                    RequestId = BinaryPrimitives.ReadUInt64BigEndian(f[FrameLayout.OffsetRequestId..]),
                    DiagnosticStep = f[FrameLayout.OffsetStep],
                    DiagnosticStatus = f[FrameLayout.OffsetStatus],
                };
                break;
            case FrameType.WorkloadHeartbeat:
                frame = frame with { WorkloadId = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetWorkload..]) };
                break;
            case FrameType.WorkloadCommand:
            case FrameType.WorkloadCommandReply:
                frame = frame with
                {
                    WorkloadId = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetWorkload..]),
                    RequestId = BinaryPrimitives.ReadUInt64BigEndian(f[FrameLayout.OffsetCommandRequestId..]),
                    Command = f[FrameLayout.OffsetCommand],
                    CommandStatus = f[FrameLayout.OffsetCommandStatus],
                    SubjectNode = BinaryPrimitives.ReadUInt32BigEndian(f[FrameLayout.OffsetSubjectNode..]),
                    FailureStreak = f[FrameLayout.OffsetFailureStreak],
                };
                break;
        }
    }
}
