using Failover.Sdk.Workloads;

namespace Failover.Sdk.Configuration;

/// <summary>
/// One workload, described once and identically on every node (FS-7): what it is, how it is
/// started and probed, and where it may run and be monitored. Bound from
/// <c>Failover:Workloads</c>, or declared with the <c>AddFailover()</c> builder methods.
/// </summary>
public sealed class FailoverWorkloadOptions
{
    /// <summary>The workload's id, the same on every node: 1 to 128 ASCII letters, digits, '-', '_', '.' or ':'.</summary>
    public string Id { get; set; } = "";

    /// <summary>What the workload is. Only <see cref="WorkloadKind.Process"/> can be declared in configuration alone; the other kinds need code from the builder.</summary>
    public WorkloadKind Kind { get; set; } = WorkloadKind.Process;

    /// <summary>For <see cref="WorkloadKind.Process"/>: how to start and stop it.</summary>
    public FailoverProcessOptions Process { get; set; } = new();

    /// <summary>How its monitor checks it.</summary>
    public FailoverProbeOptions Probe { get; set; } = new();

    /// <summary>Higher runs first when nodes are placed at start. Default 0.</summary>
    public int Priority { get; set; }

    /// <summary>The nodes it may run on; empty for every node of the cluster.</summary>
    public IList<uint> Nodes { get; set; } = [];

    /// <summary>The nodes that may monitor it (FS-10: a dedicated monitoring node); empty for every node. Never the node it runs on (FS-1).</summary>
    public IList<uint> MonitorNodes { get; set; } = [];

    /// <summary>The node it starts on when the cluster starts; when unset, the eligible node with the fewest workloads.</summary>
    public uint? HomeNode { get; set; }

    /// <summary>Tags a node must carry (<see cref="FailoverOptions.Tags"/>, <see cref="FailoverPeerOptions.Tags"/>) to run it.</summary>
    public IList<string> RequiredTags { get; set; } = [];

    /// <summary>How repeated failures are damped (EX-2).</summary>
    public FailoverRestartOptions Restart { get; set; } = new();
}
