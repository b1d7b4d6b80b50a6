namespace Failover.Sdk.Swap;

/// <summary>One journaled step of a process swap.</summary>
/// <param name="WorkloadId">The workload that moves.</param>
/// <param name="Step">The step reached.</param>
/// <param name="Node">The node the step concerns (the node stopped, started on, or given the monitor); 0 when none.</param>
/// <param name="FencingToken">The token of the run the step concerns; 0 when none yet.</param>
/// <param name="Detail">Why, in a sentence: the evidence, the error, the rule applied.</param>
/// <param name="At">When, by the agent's clock.</param>
public sealed record WorkloadSwapEvent(string WorkloadId, WorkloadSwapStep Step, uint Node, long FencingToken, string Detail, DateTimeOffset At);
