using Failover.Sdk.Swap;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Workloads;

/// <summary>The workload manager's and swap's log messages; event ids 3300-3399 are stable.</summary>
internal static partial class WorkloadLog
{
    [LoggerMessage(3300, LogLevel.Information, "Node {NodeId} manages {Count} workload(s): runs {Runs}, monitors {Monitors}")]
    public static partial void Started(ILogger logger, uint nodeId, int count, string runs, string monitors);

    [LoggerMessage(3301, LogLevel.Warning, "Node {NodeId}: the coordination store is this process's own, so the process swap is not protected against split brain; a swap proceeds once the old node confirms the stop or no path to it answers. Share a store (UseEtcd) for fenced swaps")]
    public static partial void UnfencedSwaps(ILogger logger, uint nodeId);

    [LoggerMessage(3302, LogLevel.Information, "Node {NodeId} started workload {WorkloadId} (fencing token {FencingToken}, process {ProcessId})")]
    public static partial void RunStarted(ILogger logger, uint nodeId, string workloadId, long fencingToken, int? processId);

    [LoggerMessage(3303, LogLevel.Warning, "Node {NodeId}: workload {WorkloadId} (fencing token {FencingToken}) ended: {Exit}")]
    public static partial void RunEnded(ILogger logger, uint nodeId, string workloadId, long fencingToken, string exit);

    [LoggerMessage(3304, LogLevel.Error, "Node {NodeId} could not start workload {WorkloadId}")]
    public static partial void StartFailed(ILogger logger, uint nodeId, string workloadId, Exception exception);

    [LoggerMessage(3305, LogLevel.Information, "Node {NodeId} monitors workload {WorkloadId} on node {RunnerNode}")]
    public static partial void MonitorStarted(ILogger logger, uint nodeId, string workloadId, uint runnerNode);

    [LoggerMessage(3306, LogLevel.Warning, "Node {NodeId}: workload {WorkloadId} on node {RunnerNode} failed: {Evidence}")]
    public static partial void WorkloadFailed(ILogger logger, uint nodeId, string workloadId, uint runnerNode, string evidence);

    [LoggerMessage(3307, LogLevel.Information, "Swap of {WorkloadId}: {Step} node {Node} (token {FencingToken}): {Detail}")]
    public static partial void SwapStep(ILogger logger, string workloadId, WorkloadSwapStep step, uint node, long fencingToken, string detail);

    [LoggerMessage(3308, LogLevel.Warning, "Node {NodeId}: no monitor has asked about workload {WorkloadId} for {SilenceMs:F0} ms; placing a new one")]
    public static partial void MonitorLost(ILogger logger, uint nodeId, string workloadId, double silenceMs);

    [LoggerMessage(3309, LogLevel.Warning, "Node {NodeId} could not place a monitor for workload {WorkloadId}: {Reason}")]
    public static partial void MonitorNotPlaced(ILogger logger, uint nodeId, string workloadId, string reason);

    [LoggerMessage(3310, LogLevel.Error, "Node {NodeId}: a workload loop failed")]
    public static partial void LoopFailed(ILogger logger, uint nodeId, Exception exception);

    [LoggerMessage(3311, LogLevel.Warning, "Node {NodeId} refused command {Command} for workload {WorkloadId} from node {Sender}: {Reason}")]
    public static partial void CommandRefused(ILogger logger, uint nodeId, SwapCommand command, string workloadId, uint sender, string reason);

    [LoggerMessage(3312, LogLevel.Information, "Node {NodeId} stops monitoring its own run of workload {WorkloadId}: node {MonitorNode} monitors it now (FS-1)")]
    public static partial void MonitorHandedOver(ILogger logger, uint nodeId, string workloadId, uint monitorNode);
}
