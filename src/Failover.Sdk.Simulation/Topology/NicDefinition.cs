namespace Failover.Sdk.Simulation.Topology;

/// <summary>
/// A network card of a node: it carries the agent's path <paramref name="PathId"/> and is
/// cabled to <paramref name="Switch"/>. Any NIC may go to any switch, so cross wiring
/// (NIC A to the switch of path B) is allowed (FS-16).
/// </summary>
/// <param name="PathId">The agent path this NIC carries; one NIC per path on a node.</param>
/// <param name="Switch">The switch it is cabled to.</param>
public sealed record NicDefinition(ushort PathId, string Switch);
