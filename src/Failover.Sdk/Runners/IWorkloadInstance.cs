namespace Failover.Sdk.Runners;

/// <summary>One run of a workload on this node, from start until it has ended.</summary>
internal interface IWorkloadInstance : IAsyncDisposable
{
    /// <summary>The workload's id.</summary>
    string WorkloadId { get; }

    /// <summary>The fencing token the run was started with.</summary>
    long FencingToken { get; }

    /// <summary>The operating-system process id, for <see cref="Workloads.WorkloadKind.Process"/>; otherwise null.</summary>
    int? ProcessId { get; }

    /// <summary>
    /// Completes once, when the run has ended: by itself (an exit, a crash, an exception, a
    /// zombie) or because it was stopped. Never faults.
    /// </summary>
    Task<WorkloadExit> Exited { get; }

    /// <summary>
    /// Hands a probe key to the workload itself. Its answer, if it gives one, arrives through
    /// <see cref="IWorkloadSignals.OnProbeAnswered"/>; a run that has ended, or hangs, gives none.
    /// Never blocks and never throws.
    /// </summary>
    void Probe(UInt128 key);

    /// <summary>
    /// Stops the run: gracefully first (SIGTERM, a cancelled token, <c>StopAsync</c>), then,
    /// after <paramref name="gracePeriod"/>, by force where the kind allows it (the process and
    /// all its descendants are killed). Returns how it ended; stopping an ended run returns
    /// its exit at once.
    /// </summary>
    Task<WorkloadExit> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken);
}
