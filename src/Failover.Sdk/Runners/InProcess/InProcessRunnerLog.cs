using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>The in-process runners' log messages (task, thread, hosted service); event ids 3200-3249 are stable.</summary>
internal static partial class RunnerLog
{
    [LoggerMessage(3200, LogLevel.Information, "Workload {WorkloadId} started as a {Kind} on node {NodeId} with fencing token {FencingToken}")]
    public static partial void Started(ILogger logger, string workloadId, WorkloadKind kind, uint nodeId, long fencingToken);

    [LoggerMessage(3201, LogLevel.Warning, "Workload {WorkloadId} ({Kind}) on node {NodeId} returned without being asked to stop (fencing token {FencingToken}); a workload is meant to run until stopped")]
    public static partial void Completed(ILogger logger, string workloadId, WorkloadKind kind, uint nodeId, long fencingToken);

    [LoggerMessage(3202, LogLevel.Error, "Workload {WorkloadId} ({Kind}) on node {NodeId} crashed (fencing token {FencingToken}): {Detail}")]
    public static partial void Crashed(ILogger logger, string workloadId, WorkloadKind kind, uint nodeId, long fencingToken, string detail, Exception? exception);

    [LoggerMessage(3203, LogLevel.Information, "Workload {WorkloadId} ({Kind}) on node {NodeId} stopped: {Detail}")]
    public static partial void Stopped(ILogger logger, string workloadId, WorkloadKind kind, uint nodeId, string detail);

    [LoggerMessage(3204, LogLevel.Warning, "Workload {WorkloadId} ({Kind}) on node {NodeId} was abandoned: {Detail}. Its code may still be running in this process")]
    public static partial void Abandoned(ILogger logger, string workloadId, WorkloadKind kind, uint nodeId, string detail);

    [LoggerMessage(3205, LogLevel.Warning, "A cancellation callback of workload {WorkloadId} threw while it was being stopped")]
    public static partial void CancellationCallbackFailed(ILogger logger, string workloadId, Exception exception);

    [LoggerMessage(3206, LogLevel.Warning, "Hosted service {Service} of workload {WorkloadId} threw while being disposed")]
    public static partial void DisposeFailed(ILogger logger, string workloadId, string service, Exception exception);
}
