namespace Failover.Sdk.Workloads;

/// <summary>
/// What an in-process workload (task, thread, hosted service) knows about its run, and how it
/// tells its monitor that it still makes progress.
/// </summary>
public sealed class WorkloadContext
{
    private readonly Action _heartbeat;

    internal WorkloadContext(string workloadId, uint nodeId, long fencingToken, Action heartbeat)
    {
        WorkloadId = workloadId;
        NodeId = nodeId;
        FencingToken = fencingToken;
        _heartbeat = heartbeat;
    }

    /// <summary>The workload's id.</summary>
    public string WorkloadId { get; }

    /// <summary>The node this run is on.</summary>
    public uint NodeId { get; }

    /// <summary>The fencing token of this run: send it with every write to a fenced resource (BY-1).</summary>
    public long FencingToken { get; }

    /// <summary>
    /// Tells the monitor the workload is alive (FS-5). Call it from the workload's own loop at
    /// the probe interval when the probe kind is <see cref="WorkloadProbeKind.Heartbeat"/>, so a
    /// loop that hangs stops the heartbeats. Cheap and thread-safe.
    /// </summary>
    public void Heartbeat() => _heartbeat();
}
