using MemoryPack;

namespace Failover.Sdk.Benchmarks;

/// <summary>The heartbeat's common fields for MemoryPack.</summary>
/// <remarks>
/// A struct of unmanaged fields, the fairest case for MemoryPack: it then copies the
/// struct's memory as is (native byte order, padding included, no version tolerance),
/// and decoding allocates nothing. Fields are ordered so the padding stays small.
/// </remarks>
[MemoryPackable]
public partial struct HeartbeatPack
{
    public uint Sender { get; set; }

    public uint Target { get; set; }

    public ushort PathId { get; set; }

    public uint Incarnation { get; set; }

    public ulong Sequence { get; set; }

    public long Timestamp { get; set; }

    public ulong FencingEpoch { get; set; }
}
