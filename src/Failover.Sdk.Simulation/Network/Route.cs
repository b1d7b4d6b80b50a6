using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Network;

/// <summary>The stretches a frame crosses between two NICs, or why it cannot go.</summary>
internal readonly record struct Route(LinkProfile[]? Hops, FrameLossReason Blocked)
{
    public static Route Through(LinkProfile[] hops) => new(hops, default);

    public static Route Lost(FrameLossReason reason) => new(null, reason);

    public bool IsOpen => Hops is not null;
}
