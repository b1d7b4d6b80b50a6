namespace Failover.Sdk.Runners;

/// <summary>The kinds of ending of a workload run.</summary>
internal enum WorkloadExitKind
{
    /// <summary>It stopped gracefully when asked.</summary>
    Stopped,

    /// <summary>Asked to stop, it did not within the grace period and was killed (or, for a thread, abandoned).</summary>
    Killed,

    /// <summary>It ended by itself without an error (exit code 0, a task that returned): a workload is meant to run until stopped, so this is a failure too.</summary>
    Completed,

    /// <summary>It ended by itself with an error: a non-zero exit code, a signal, an exception.</summary>
    Crashed,

    /// <summary>The process exists but is dead: a zombie, or gone from under its handle.</summary>
    Zombie,
}
