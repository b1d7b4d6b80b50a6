using Failover.Sdk.Benchmarks.Protobuf;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// One heartbeat's field values, shared by every format so they all encode the same thing.
/// </summary>
/// <remarks>
/// Realistic rather than maximal: small node ids, a few days of heartbeats at 10 Hz, a
/// microsecond Unix timestamp in 2026. Varint formats (Protocol Buffers) profit from
/// the small ones; fixed-width formats do not care.
/// </remarks>
internal static class SampleHeartbeat
{
    public const uint Sender = 1001;
    public const uint Target = 1002;
    public const ushort PathId = 2;
    public const uint Incarnation = 37;
    public const ulong Sequence = 4_000_000;
    public const long Timestamp = 1_767_225_600_123_456;
    public const ulong FencingEpoch = 12;

    /// <summary>32 bytes, the length of an HMAC-SHA256 key a user would generate.</summary>
    public static byte[] Key() => Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    public static Frame Frame(ulong sequence = Sequence, uint incarnation = Incarnation) => new()
    {
        Type = FrameType.Heartbeat,
        Sender = Sender,
        Target = Target,
        PathId = PathId,
        Incarnation = incarnation,
        Sequence = sequence,
        Timestamp = Timestamp,
        FencingEpoch = FencingEpoch,
    };

    public static Heartbeat Protobuf() => new()
    {
        Sender = Sender,
        Target = Target,
        Path = PathId,
        Incarnation = Incarnation,
        Sequence = Sequence,
        Timestamp = Timestamp,
        FencingEpoch = FencingEpoch,
    };

    public static HeartbeatPack MemoryPack() => new()
    {
        Sender = Sender,
        Target = Target,
        PathId = PathId,
        Incarnation = Incarnation,
        Sequence = Sequence,
        Timestamp = Timestamp,
        FencingEpoch = FencingEpoch,
    };

    public static HeartbeatJson Json() => new()
    {
        Sender = Sender,
        Target = Target,
        PathId = PathId,
        Incarnation = Incarnation,
        Sequence = Sequence,
        Timestamp = Timestamp,
        FencingEpoch = FencingEpoch,
    };
}
