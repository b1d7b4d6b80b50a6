namespace Failover.Sdk.Simulation.Topology;

/// <summary>A switch in a LAN segment; NICs plug into it, and it can fail on its own (FS-16).</summary>
/// <param name="Name">Unique among switches; NICs name it.</param>
/// <param name="Lan">The LAN segment it belongs to.</param>
public sealed record SwitchDefinition(string Name, string Lan);
