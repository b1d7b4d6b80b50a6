namespace Failover.Sdk.Workloads;

/// <summary>What a workload is, and so which runner starts and stops it (FS-7).</summary>
public enum WorkloadKind
{
    /// <summary>An operating-system process started from a file name and arguments.</summary>
    Process = 0,

    /// <summary>An <c>IHostedService</c> created from the host's container for each run.</summary>
    HostedService = 1,

    /// <summary>An async delegate given a cancellation token.</summary>
    Task = 2,

    /// <summary>A delegate run on a dedicated thread, stopped cooperatively through a cancellation token.</summary>
    Thread = 3,
}
