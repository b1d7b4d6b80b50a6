namespace Failover.Sdk.Workloads;

/// <summary>A run of a workload on this node has ended (<see cref="FailoverWorkloads.RunEnded"/>).</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="FencingToken">The token of the run.</param>
/// <param name="ProcessId">The operating-system process id, for a process workload.</param>
/// <param name="Stopped">
/// Whether the agent stopped it (a swap's terminate command, the end of its ownership, the
/// agent stopping); false when it ended by itself, which its monitor is told as a failure.
/// </param>
/// <param name="Exit">How it ended, for logs: the exit code or signal, the exception, the kill.</param>
public sealed record WorkloadRunEnded(string WorkloadId, long FencingToken, int? ProcessId, bool Stopped, string Exit);
