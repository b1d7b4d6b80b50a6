namespace Failover.Sdk.Workloads;

/// <summary>A workload running on this node.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="FencingToken">The token of the run.</param>
/// <param name="ProcessId">The operating-system process id, for a process workload.</param>
/// <param name="MonitorNode">The node whose monitor asked about it last; 0 before any did.</param>
public sealed record WorkloadRunStatus(string WorkloadId, long FencingToken, int? ProcessId, uint MonitorNode);
