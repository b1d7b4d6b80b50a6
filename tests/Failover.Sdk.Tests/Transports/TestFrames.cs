using Failover.Sdk.Transports;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Transports;

/// <summary>Frames and settings the transport tests share.</summary>
internal static class TestFrames
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static TransportSettings Settings(uint nodeId, ushort pathId, TimeProvider? time = null, bool authenticated = false)
    {
        var authenticator = authenticated ? new FrameAuthenticator(Key) : null;
        return new TransportSettings
        {
            LocalNodeId = nodeId,
            PathId = pathId,
            Writer = new FrameWriter(authenticator),
            ReaderOptions = new FrameReaderOptions { Authenticator = authenticator, RequireAuthentication = authenticated },
            Time = time ?? TimeProvider.System,
        };
    }

    public static Frame Heartbeat(uint sender, uint target, ushort pathId, ulong sequence) => new()
    {
        Type = FrameType.Heartbeat,
        Sender = sender,
        Target = target,
        PathId = pathId,
        Incarnation = 7,
        Sequence = sequence,
        Timestamp = 1_700_000_000_000_000 + (long)sequence,
        FencingEpoch = 42,
    };

    /// <summary>One frame of every type, every field of the type set to a distinct non-zero value.</summary>
    public static Frame[] EveryType(uint sender, uint target, ushort pathId, ulong firstSequence)
    {
        Frame common = Heartbeat(sender, target, pathId, firstSequence);
        return
        [
            common,
            common with
            {
                Type = FrameType.Probe,
                Sequence = firstSequence + 1,
                WorkloadId = 0xCAFE,
                Key = new UInt128(0x0102030405060708, 0x090A0B0C0D0E0F10),
            },
            common with
            {
                Type = FrameType.ProbeReply,
                Sequence = firstSequence + 2,
                WorkloadId = 0xCAFE,
                Key = new UInt128(0x0102030405060708, 0x090A0B0C0D0E0F10),
                Response = new UInt128(0xF1F2F3F4F5F6F7F8, 0xE1E2E3E4E5E6E7E8),
            },
            common with
            {
                Type = FrameType.DiagnosticProbe,
                Sequence = firstSequence + 3,
                RequestId = 0xDEADBEEF01,
                DiagnosticStep = 3,
            },
            common with
            {
                Type = FrameType.DiagnosticReply,
                Sequence = firstSequence + 4,
                RequestId = 0xDEADBEEF01,
                DiagnosticStep = 3,
                DiagnosticStatus = 2,
            },
        ];
    }

    /// <summary>Encodes a frame the way a peer (or a forger with <paramref name="writer"/>) would put it on the wire.</summary>
    public static byte[] Encode(in Frame frame, FrameWriter? writer = null)
    {
        writer ??= new FrameWriter();
        var bytes = new byte[writer.GetLength(frame.Type)];
        writer.Write(frame, bytes);
        return bytes;
    }
}
