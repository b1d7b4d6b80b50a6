namespace Failover.Sdk.Simulation.Topology;

/// <summary>A node: an OS with NICs, running one failover agent.</summary>
/// <param name="Id">The agent's node id; not 0.</param>
/// <param name="Kind">Its role.</param>
/// <param name="Nics">Its network cards, one per path.</param>
public sealed record NodeDefinition(uint Id, NodeKind Kind, IReadOnlyList<NicDefinition> Nics)
{
    /// <summary>What the node offers a workload placed on it (say <c>"gpu"</c>); provisioning matches on these.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
