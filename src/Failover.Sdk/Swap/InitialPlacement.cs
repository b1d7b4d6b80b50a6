namespace Failover.Sdk.Swap;

/// <summary>Where a workload runs and where it is monitored when the cluster starts.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="Runner">The node that runs it; 0 when no node qualifies.</param>
/// <param name="Monitor">The node that monitors it; 0 when no node qualifies or it has no runner.</param>
internal readonly record struct InitialPlacement(string WorkloadId, uint Runner, uint Monitor);
