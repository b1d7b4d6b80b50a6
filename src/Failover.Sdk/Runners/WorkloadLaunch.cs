using Failover.Sdk.Workloads;

namespace Failover.Sdk.Runners;

/// <summary>Everything a runner needs to start one run of a workload.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="NodeId">The node it runs on.</param>
/// <param name="FencingToken">The token of this run; a runner never starts without one (BY-1).</param>
/// <param name="Signals">Where the run's probe answers and heartbeats go.</param>
internal sealed record WorkloadLaunch(WorkloadDescriptor Workload, uint NodeId, long FencingToken, IWorkloadSignals Signals);
