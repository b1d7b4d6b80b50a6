using Failover.Sdk.Workloads;

namespace Failover.Sdk.Runners;

/// <summary>Starts workloads of one kind (FS-7). The simulator supplies its own.</summary>
internal interface IWorkloadRunner
{
    /// <summary>The kind this runner starts.</summary>
    WorkloadKind Kind { get; }

    /// <summary>
    /// Starts one run of <see cref="WorkloadLaunch.Workload"/>. Returns once it has started
    /// (a process spawned, a task or thread begun).
    /// </summary>
    /// <exception cref="WorkloadStartException">It could not be started; the message says why.</exception>
    ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken);
}
