namespace Failover.Sdk.Monitoring;

/// <summary>A workload this node monitors.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="RunnerNode">The node it runs on.</param>
/// <param name="FencingToken">The token of the watched run; 0 until its first answer.</param>
/// <param name="IsOperational">Whether the monitor has had a good answer.</param>
public sealed record WorkloadMonitorStatus(string WorkloadId, uint RunnerNode, long FencingToken, bool IsOperational);
