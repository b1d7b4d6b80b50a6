namespace Failover.Sdk.Configuration;

/// <summary>
/// Restart damping (EX-2), like Kubernetes' CrashLoopBackOff and Pacemaker's
/// migration-threshold: a workload that fails soon after every start is moved with a growing
/// delay, and after <see cref="MaxFailures"/> such failures in a row it is no longer moved but
/// reported.
/// </summary>
public sealed class FailoverRestartOptions
{
    /// <summary>A workload that ran this long before failing starts a new streak of failures. Default 60 s.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many failures in a row, each within <see cref="StableAfter"/> of its start, the workload is left down and reported. Default 5.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>The delay before the second move of a streak; it doubles with every further failure. Default 1 s.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay before a move. Default 60 s.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);
}
