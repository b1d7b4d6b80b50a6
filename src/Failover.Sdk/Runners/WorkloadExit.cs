namespace Failover.Sdk.Runners;

/// <summary>How a run of a workload ended.</summary>
/// <param name="Kind">The kind of ending.</param>
/// <param name="ExitCode">A process's exit code, when it has one.</param>
/// <param name="Detail">A line for logs and the journal: the signal, the exception's message, the process state.</param>
internal readonly record struct WorkloadExit(WorkloadExitKind Kind, int? ExitCode, string Detail)
{
    /// <summary>Whether the run ended because it was asked to stop.</summary>
    public bool WasStopped => Kind is WorkloadExitKind.Stopped or WorkloadExitKind.Killed;
}
