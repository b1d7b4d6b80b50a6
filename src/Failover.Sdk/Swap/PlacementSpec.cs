using Failover.Sdk.Configuration;

namespace Failover.Sdk.Swap;

/// <summary>
/// The part of a workload's options the placement policy reads: where it may run and be
/// monitored, what it needs, and its rank at cluster start.
/// </summary>
/// <param name="WorkloadId">The workload's id.</param>
/// <param name="Nodes">The nodes it may run on; empty for every node.</param>
/// <param name="MonitorNodes">The nodes that may monitor it; empty for every node (FS-10).</param>
/// <param name="HomeNode">The node it starts on when that node is eligible.</param>
/// <param name="RequiredTags">Tags a node must carry to run it.</param>
/// <param name="Priority">Higher is placed first at cluster start.</param>
internal sealed record PlacementSpec(
    string WorkloadId,
    IReadOnlyCollection<uint> Nodes,
    IReadOnlyCollection<uint> MonitorNodes,
    uint? HomeNode,
    IReadOnlyCollection<string> RequiredTags,
    int Priority)
{
    /// <summary>
    /// Copies what placement needs, so options changed later (EX-5) cannot shift a ranking
    /// that is being computed or explained.
    /// </summary>
    public static PlacementSpec From(FailoverWorkloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PlacementSpec(
            options.Id,
            [.. options.Nodes ?? throw new ArgumentException($"Workload '{options.Id}' has no Nodes list (null).", nameof(options))],
            [.. options.MonitorNodes ?? throw new ArgumentException($"Workload '{options.Id}' has no MonitorNodes list (null).", nameof(options))],
            options.HomeNode,
            [.. options.RequiredTags ?? throw new ArgumentException($"Workload '{options.Id}' has no RequiredTags list (null).", nameof(options))],
            options.Priority);
    }
}
