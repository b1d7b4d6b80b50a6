namespace Failover.Sdk.Simulation.Topology;

/// <summary>A LAN segment: the switches in it reach each other directly.</summary>
/// <param name="Name">Unique among LANs; switches and WAN links name it.</param>
/// <param name="Link">How the segment treats a frame crossing it; <see cref="LinkProfile.Lan"/> when null.</param>
public sealed record LanDefinition(string Name, LinkProfile? Link = null);
