namespace Failover.Sdk.Swap;

/// <summary>
/// What the placement policy knows about one node of the cluster (this node or a configured
/// peer): where it is (FS-3, FS-9), whether it is heard from, what it offers, and how busy it is.
/// </summary>
/// <param name="NodeId">The node's id; never 0, which the policy uses for "no node".</param>
/// <param name="Lan">The LAN segment it is on; null or blank when not configured.</param>
/// <param name="IsAlive">Whether its heartbeats arrive.</param>
/// <param name="Tags">What it offers, matched ordinally against <see cref="PlacementSpec.RequiredTags"/>.</param>
/// <param name="RunningCount">How many workloads it runs.</param>
/// <param name="MonitoringCount">How many workloads it monitors.</param>
internal sealed record PlacementNode(
    uint NodeId,
    string? Lan,
    bool IsAlive,
    IReadOnlyCollection<string> Tags,
    int RunningCount,
    int MonitoringCount);
