using Failover.Sdk.Benchmarks.Protobuf;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Folds every field of a decoded heartbeat into one value that the benchmark returns,
/// so the JIT cannot drop the reads of fields nobody looks at.
/// </summary>
internal static class Fold
{
    public static ulong Of(in Frame f) =>
        (ulong)f.Type ^ f.Sender ^ ((ulong)f.Target << 8) ^ ((ulong)f.PathId << 16) ^ ((ulong)f.Incarnation << 24)
        ^ f.Sequence ^ (ulong)f.Timestamp ^ f.FencingEpoch;

    public static ulong Of(Heartbeat m) =>
        m.Sender ^ ((ulong)m.Target << 8) ^ ((ulong)m.Path << 16) ^ ((ulong)m.Incarnation << 24)
        ^ m.Sequence ^ (ulong)m.Timestamp ^ m.FencingEpoch;

    public static ulong Of(in HeartbeatPack m) =>
        m.Sender ^ ((ulong)m.Target << 8) ^ ((ulong)m.PathId << 16) ^ ((ulong)m.Incarnation << 24)
        ^ m.Sequence ^ (ulong)m.Timestamp ^ m.FencingEpoch;

    public static ulong Of(in HeartbeatJson m) =>
        m.Sender ^ ((ulong)m.Target << 8) ^ ((ulong)m.PathId << 16) ^ ((ulong)m.Incarnation << 24)
        ^ m.Sequence ^ (ulong)m.Timestamp ^ m.FencingEpoch;
}
