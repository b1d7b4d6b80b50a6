namespace Failover.Sdk.Workloads;

/// <summary>How a workload's monitor finds out that the workload still works.</summary>
public enum WorkloadProbeKind
{
    /// <summary>
    /// The monitor sends a fresh key; the workload must answer with the predefined response,
    /// a keyed digest of the key, within the timeout (FS-4). A wrong answer counts as a failure.
    /// </summary>
    KeyResponse = 0,

    /// <summary>The workload sends heartbeats at its rate; the monitor judges them with a failure detector (FS-5).</summary>
    Heartbeat = 1,
}
