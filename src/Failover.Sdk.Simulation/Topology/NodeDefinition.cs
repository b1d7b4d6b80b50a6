namespace Failover.Sdk.Simulation.Topology;

/// <summary>A node: an OS with NICs, running one failover agent.</summary>
/// <param name="Id">The agent's node id; not 0.</param>
/// <param name="Role">The part it plays in failover.</param>
/// <param name="Nics">Its network cards, one per path.</param>
public sealed record NodeDefinition(uint Id, NodeRole Role, IReadOnlyList<NicDefinition> Nics)
{
    /// <summary>What kind of machine it is (FS-2); metadata only.</summary>
    public NodeKind Kind { get; init; } = NodeKind.Server;

    /// <summary>What the node offers a workload placed on it (say <c>"gpu"</c>); provisioning matches on these.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
