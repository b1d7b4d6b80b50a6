using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Network;

/// <summary>A WAN link as the run sees it now.</summary>
internal sealed class WanState(string name, int from, int to, LinkProfile link)
{
    public string Name { get; } = name;

    public int From { get; } = from;

    public int To { get; } = to;

    public LinkProfile Link { get; } = link;

    public bool IsUp { get; set; } = true;
}
