namespace Failover.Sdk.Swap;

/// <summary>The steps of a process swap (FS-6), in the order they happen; a swap journals each one it reaches.</summary>
public enum WorkloadSwapStep
{
    /// <summary>The monitor found the workload failed; the swap starts.</summary>
    Detected,

    /// <summary>The workload failed soon after its last start again: the move waits a growing delay (EX-2).</summary>
    Damped,

    /// <summary>The failed run is being stopped on its node (only it: FS-8).</summary>
    Terminating,

    /// <summary>Its node confirmed the run stopped (or was no longer running).</summary>
    Terminated,

    /// <summary>Its node did not answer: the swap goes on only under the rule for an unreachable node (its lease expired, or no path to it answers).</summary>
    TerminateUnconfirmed,

    /// <summary>The workload is being started on the chosen node.</summary>
    Starting,

    /// <summary>The chosen node started it, with a new fencing token.</summary>
    Started,

    /// <summary>The chosen node could not start it; the next candidate is tried.</summary>
    StartFailed,

    /// <summary>A new monitor is being started on the chosen node.</summary>
    StartingMonitor,

    /// <summary>The new monitor reported operational: it had its first good answer.</summary>
    MonitorOperational,

    /// <summary>The new monitor did not become operational; the next candidate is tried, else the old monitor stays.</summary>
    MonitorFailed,

    /// <summary>The old monitor stopped, once the new one was operational.</summary>
    OldMonitorStopped,

    /// <summary>The swap finished: the workload runs on its new node and is monitored from another.</summary>
    Completed,

    /// <summary>The swap stopped without moving the workload; <see cref="WorkloadSwapEvent.Detail"/> says why.</summary>
    Abandoned,
}
