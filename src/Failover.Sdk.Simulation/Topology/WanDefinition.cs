namespace Failover.Sdk.Simulation.Topology;

/// <summary>A WAN link joining two LAN segments (FS-3); frames between LANs take the fewest such links.</summary>
/// <param name="Name">Unique among WAN links; a link-cut fault names it.</param>
/// <param name="From">One LAN.</param>
/// <param name="To">The other LAN; links carry frames both ways.</param>
/// <param name="Link">How the link treats a frame; <see cref="LinkProfile.Wan"/> when null.</param>
public sealed record WanDefinition(string Name, string From, string To, LinkProfile? Link = null);
