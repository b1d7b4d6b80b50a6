namespace Failover.Sdk.Benchmarks;

/// <summary>The heartbeat's common fields for System.Text.Json.</summary>
/// <remarks>A struct so that decoding need not allocate the result.</remarks>
public struct HeartbeatJson
{
    public uint Sender { get; set; }

    public uint Target { get; set; }

    public ushort PathId { get; set; }

    public uint Incarnation { get; set; }

    public ulong Sequence { get; set; }

    public long Timestamp { get; set; }

    public ulong FencingEpoch { get; set; }
}
