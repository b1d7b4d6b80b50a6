using System.Collections.Concurrent;
using Failover.Sdk.Transports;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// An in-memory network whose carrier drops every frame a cut NIC would send or receive:
/// one path of one node fails while its other paths carry on. Delivers the rest at once, on
/// the sending thread, as the network does without a carrier.
/// </summary>
internal sealed class PathCutCarrier : IInMemoryFrameCarrier
{
    private readonly ConcurrentDictionary<(uint NodeId, ushort PathId), bool> _cut = new();

    public PathCutCarrier()
    {
        Network = new InMemoryNetwork(this);
    }

    public InMemoryNetwork Network { get; }

    /// <summary>Frames from and to <paramref name="nodeId"/> on <paramref name="pathId"/> are dropped from now on.</summary>
    public void Cut(uint nodeId, ushort pathId) => _cut[(nodeId, pathId)] = true;

    /// <summary>Frames flow again; nothing dropped meanwhile is delivered.</summary>
    public void Mend(uint nodeId, ushort pathId) => _cut.TryRemove((nodeId, pathId), out _);

    public void Carry(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame)
    {
        if (!_cut.ContainsKey((sender, pathId)) && !_cut.ContainsKey((target, pathId)))
        {
            Network.Deliver(sender, target, pathId, frame);
        }
    }
}
