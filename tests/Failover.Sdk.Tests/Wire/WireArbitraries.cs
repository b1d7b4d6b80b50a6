using System.Buffers.Binary;
using Failover.Sdk.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace Failover.Sdk.Tests.Wire;

/// <summary>
/// FsCheck generators for the wire tests: valid frames of every type (only the fields the
/// type carries are set, because the reader zeroes the others; the sender is never 0),
/// hostile byte strings, and replay-window scripts.
/// </summary>
public static class WireArbitraries
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    // Edge values get a fair share: that is where big-endian and sign mistakes show.
    private static readonly Gen<uint> AnyUInt32 = Gen.Frequency(
        (1, Gen.Elements(0u, 1u, 0x80000000u, uint.MaxValue)),
        (4, Gen.ArrayOf(AnyByte, 4).Select(b => BinaryPrimitives.ReadUInt32BigEndian(b))));

    private static readonly Gen<ushort> AnyUInt16 = Gen.Frequency(
        (1, Gen.Elements<ushort>(0, 1, 0x8000, ushort.MaxValue)),
        (4, Gen.ArrayOf(AnyByte, 2).Select(b => BinaryPrimitives.ReadUInt16BigEndian(b))));

    private static readonly Gen<ulong> AnyUInt64 = Gen.Frequency(
        (1, Gen.Elements(0UL, 1UL, 0x8000000000000000UL, ulong.MaxValue)),
        (4, Gen.ArrayOf(AnyByte, 8).Select(b => BinaryPrimitives.ReadUInt64BigEndian(b))));

    private static readonly Gen<UInt128> AnyUInt128 = Gen.Frequency(
        (1, Gen.Elements(UInt128.Zero, UInt128.One, UInt128.MaxValue)),
        (4, Gen.ArrayOf(AnyByte, 16).Select(b => BinaryPrimitives.ReadUInt128BigEndian(b))));

    private static readonly Gen<uint> Sender = AnyUInt32.Select(s => s == 0 ? 1u : s);

    private static readonly Gen<Frame> ValidFrame =
        from type in Gen.Elements(WireSamples.Types)
        from sender in Sender
        from target in AnyUInt32
        from path in AnyUInt16
        from incarnation in AnyUInt32
        from sequence in AnyUInt64
        from timestamp in AnyUInt64
        from epoch in AnyUInt64
        from workload in AnyUInt32
        from key in AnyUInt128
        from response in AnyUInt128
        from requestId in AnyUInt64
        from step in AnyByte
        from status in AnyByte
        from command in AnyByte
        from commandStatus in AnyByte
        from subject in AnyUInt32
        from streak in AnyByte
        let isCommand = type is FrameType.WorkloadCommand or FrameType.WorkloadCommandReply
        select new Frame
        {
            Type = type,
            Sender = sender,
            Target = target,
            PathId = path,
            Incarnation = incarnation,
            Sequence = sequence,
            Timestamp = unchecked((long)timestamp),
            FencingEpoch = epoch,
            WorkloadId = type is FrameType.Probe or FrameType.ProbeReply or FrameType.WorkloadHeartbeat || isCommand ? workload : 0,
            Key = type is FrameType.Probe or FrameType.ProbeReply ? key : UInt128.Zero,
            Response = type is FrameType.ProbeReply ? response : UInt128.Zero,
            RequestId = type is FrameType.DiagnosticProbe or FrameType.DiagnosticReply || isCommand ? requestId : 0,
            DiagnosticStep = type is FrameType.DiagnosticProbe or FrameType.DiagnosticReply ? step : (byte)0,
            DiagnosticStatus = type is FrameType.DiagnosticReply ? status : (byte)0,
            Command = isCommand ? command : (byte)0,
            CommandStatus = isCommand ? commandStatus : (byte)0,
            SubjectNode = isCommand ? subject : 0,
            FailureStreak = isCommand ? streak : (byte)0,
        };

    public static Arbitrary<Frame> Frames() => Arb.From(ValidFrame);

    public static Arbitrary<HostileInput> HostileInputs() => Arb.From(Gen.Frequency(
        (1, RandomBytes),
        (2, PlausibleHeader),
        (4, MutatedFrame)));

    // A sender's sequence climbs and it restarts now and then; each step jitters around that
    // drift (reordered, duplicated, late frames, a frame of the previous or next incarnation).
    // One start puts the sequence near its maximum.
    public static Arbitrary<ReplayStep[]> ReplayScripts() => Arb.From(
        from start in Gen.Elements(0UL, 1_000UL, ulong.MaxValue - 500)
        from jitters in Gen.ListOf(ReplayJitter).ScaleSize(size => size * 3)
        select jitters.Select((jitter, i) => Drift(jitter, start, i)).ToArray());

    private static Gen<HostileInput> RandomBytes =>
        from length in Gen.Choose(0, 130)
        from bytes in Gen.ArrayOf(AnyByte, length)
        select new HostileInput(bytes, "random");

    // Random bytes behind a header that passes the magic and version checks, with a type,
    // flags and length near the valid ones, so the deeper checks are reached.
    private static Gen<HostileInput> PlausibleHeader =>
        from type in Gen.Choose(0, 6)
        from flags in Gen.Elements<byte>(0, 1, 1, 2, 0x81)
        from reserved in Gen.Elements<byte>(0, 0, 0, 1)
        from declared in Gen.Frequency(
            (3, Gen.Elements(38, 54, 58, 74, 47, 63, 48, 64, 90)),
            (1, Gen.Choose(0, ushort.MaxValue)))
        from delta in Gen.Choose(-3, 3)
        from body in Gen.ArrayOf(AnyByte, Math.Clamp(declared + delta, 0, 200))
        select new HostileInput(
            [0xFA, 0x11, 1, (byte)type, flags, reserved, (byte)(declared >> 8), (byte)declared, .. body],
            "plausible header");

    private static Gen<HostileInput> MutatedFrame =>
        from frame in ValidFrame
        from tagged in Gen.Elements(false, true)
        from mutations in Gen.NonEmptyListOf(Mutation).Resize(4)
        select Apply(WireSamples.Encode(frame, tagged), mutations, tagged ? "tagged frame" : "frame");

    private static Gen<Func<byte[], (byte[] Bytes, string What)>> Mutation => Gen.OneOf(
        from position in Gen.Choose(0, 1 << 20)
        from bit in Gen.Choose(0, 7)
        select new Func<byte[], (byte[], string)>(b =>
        {
            if (b.Length == 0)
            {
                return (b, "flip nothing");
            }

            byte[] copy = [.. b];
            copy[position % b.Length] ^= (byte)(1 << bit);
            return (copy, $"flip {position % b.Length}.{bit}");
        }),
        from keep in Gen.Choose(0, 1 << 20)
        select new Func<byte[], (byte[], string)>(b => (b[..(keep % (b.Length + 1))], $"truncate to {keep % (b.Length + 1)}")),
        from extra in Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(AnyByte, n))
        select new Func<byte[], (byte[], string)>(b => ([.. b, .. extra], $"extend by {extra.Length}")));

    private static HostileInput Apply(byte[] bytes, IEnumerable<Func<byte[], (byte[] Bytes, string What)>> mutations, string origin)
    {
        var what = new List<string>();
        foreach (var mutate in mutations)
        {
            (bytes, string step) = mutate(bytes);
            what.Add(step);
        }

        return new HostileInput(bytes, $"{origin}, {string.Join(", ", what)}");
    }

    // Four pairs fill a capacity of four; sender 3 now and then is one too many.
    private static Gen<ReplayStep> ReplayJitter =>
        from sender in Gen.Frequency((6, Gen.Constant(1u)), (3, Gen.Constant(2u)), (1, Gen.Constant(3u)))
        from path in Gen.Frequency((4, Gen.Constant<ushort>(0)), (1, Gen.Constant<ushort>(1)))
        from incarnation in Gen.Frequency((300, Gen.Constant(5u)), (2, Gen.Constant(6u)), (4, Gen.Constant(4u)), (1, Gen.Elements(0u, uint.MaxValue)))
        from sequence in Gen.Frequency((60, Gen.Choose(0, 80)), (1, Gen.Choose(0, 300)))
        select new ReplayStep(sender, path, incarnation, (ulong)sequence);

    private static ReplayStep Drift(ReplayStep jitter, ulong start, int index) => jitter with
    {
        Incarnation = jitter.Incarnation is 0 or uint.MaxValue ? jitter.Incarnation : jitter.Incarnation + (uint)(index / 100),
        Sequence = start + jitter.Sequence + ((ulong)index / 2),
    };
}
