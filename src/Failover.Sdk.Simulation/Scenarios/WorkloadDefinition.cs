namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>A workload that must run on exactly one node at a time, and the nodes that may run it.</summary>
/// <param name="Id">Its id, the same on every node: 1 to 128 ASCII letters, digits, '-', '_', '.' or ':'.</param>
/// <param name="Candidates">
/// The nodes that campaign for it, in order of preference (see
/// <see cref="CoordinationDefinition.CampaignStagger"/>). When null, every node with role
/// <see cref="Topology.NodeRole.Application"/>, or every node when none has that role.
/// </param>
public sealed record WorkloadDefinition(string Id, IReadOnlyList<uint>? Candidates = null);
