using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>Keys, readers and fixed frames shared by the wire tests.</summary>
internal static class WireSamples
{
    /// <summary>A 32-byte shared key.</summary>
    public static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>Another 32-byte key, differing from <see cref="KeyA"/> in every byte.</summary>
    public static readonly byte[] KeyB = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    private static readonly UInt128 Key = new(0x6162636465666768, 0x696A6B6C6D6E6F70);
    private static readonly UInt128 Response = new(0x7172737475767778, 0x797A7B7C7D7E7F80);

    public static readonly FrameType[] Types = Enum.GetValues<FrameType>();

    public static FrameWriter Writer(bool tagged) => new(tagged ? new FrameAuthenticator(KeyA) : null);

    /// <summary>A reader holding <see cref="KeyA"/> that does not require tags.</summary>
    public static FrameReader ReaderWithKey(int replayCapacity = 4096) =>
        new(new FrameReaderOptions { Authenticator = new FrameAuthenticator(KeyA), ReplayWindowCapacity = replayCapacity });

    /// <summary>A valid frame of <paramref name="type"/> with every field it carries non-zero, and only those.</summary>
    public static Frame OfType(FrameType type, ulong sequence = 7, uint sender = 0x01020304) => type switch
    {
        FrameType.Heartbeat => Common(type, sender, sequence),
        FrameType.Probe => Common(type, sender, sequence) with { WorkloadId = 0x31323334, Key = Key },
        FrameType.ProbeReply => Common(type, sender, sequence) with { WorkloadId = 0x31323334, Key = Key, Response = Response },
        FrameType.DiagnosticProbe => Common(type, sender, sequence) with { RequestId = 0x4142434445464748, DiagnosticStep = 0x51 },
        FrameType.DiagnosticReply => Common(type, sender, sequence) with { RequestId = 0x4142434445464748, DiagnosticStep = 0x51, DiagnosticStatus = 0x52 },
        FrameType.WorkloadHeartbeat => Common(type, sender, sequence) with { WorkloadId = 0x31323334 },
        FrameType.WorkloadCommand or FrameType.WorkloadCommandReply => Common(type, sender, sequence) with
        {
            WorkloadId = 0x31323334,
            RequestId = 0x4142434445464748,
            Command = 0x61,
            CommandStatus = 0x62,
            SubjectNode = 0x63646566,
            FailureStreak = 0x67,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static byte[] Encode(in Frame frame, bool tagged) => Encode(frame, Writer(tagged));

    public static byte[] Encode(in Frame frame, FrameWriter writer)
    {
        var bytes = new byte[writer.GetLength(frame.Type)];
        writer.Write(frame, bytes);
        return bytes;
    }

    private static Frame Common(FrameType type, uint sender, ulong sequence) => new()
    {
        Type = type,
        Sender = sender,
        Target = 0x05060708,
        PathId = 0x090A,
        Incarnation = 0x0B0C0D0E,
        Sequence = sequence,
        Timestamp = 0x1112131415161718,
        FencingEpoch = 0x2122232425262728,
    };
}
