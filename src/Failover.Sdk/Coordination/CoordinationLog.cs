using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Coordination;

/// <summary>The coordinator's log messages; event ids 3000-3099 are stable.</summary>
internal static partial class CoordinationLog
{
    [LoggerMessage(3000, LogLevel.Information, "Node {NodeId} holds lease {LeaseId} for {TimeToLiveMs:F0} ms, renewed every {RenewMs:F0} ms, given up {MarginMs:F0} ms before it could expire")]
    public static partial void LeaseGranted(ILogger logger, uint nodeId, long leaseId, double timeToLiveMs, double renewMs, double marginMs);

    [LoggerMessage(3001, LogLevel.Warning, "Node {NodeId} could not renew lease {LeaseId}; {RemainingMs:F0} ms of it left")]
    public static partial void RenewFailed(ILogger logger, uint nodeId, long leaseId, double remainingMs, Exception exception);

    [LoggerMessage(3002, LogLevel.Warning, "Node {NodeId} lost lease {LeaseId}: {Reason}; its workloads stop")]
    public static partial void LeaseLost(ILogger logger, uint nodeId, long leaseId, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Node {NodeId} could not get a lease; trying again in {DelayMs:F0} ms")]
    public static partial void GrantFailed(ILogger logger, uint nodeId, double delayMs, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "Node {NodeId} owns workload {WorkloadId} with fencing token {FencingToken}")]
    public static partial void OwnershipAcquired(ILogger logger, uint nodeId, string workloadId, long fencingToken);

    [LoggerMessage(3005, LogLevel.Information, "Node {NodeId} no longer owns workload {WorkloadId} (fencing token {FencingToken}): {Reason}")]
    public static partial void OwnershipEnded(ILogger logger, uint nodeId, string workloadId, long fencingToken, string reason);

    [LoggerMessage(3006, LogLevel.Warning, "Node {NodeId} campaign for workload {WorkloadId} hit a store error; trying again in {DelayMs:F0} ms")]
    public static partial void CampaignFailed(ILogger logger, uint nodeId, string workloadId, double delayMs, Exception exception);

    [LoggerMessage(3007, LogLevel.Error, "Workload {WorkloadId} failed on node {NodeId} while it owned it (fencing token {FencingToken}); ownership is released")]
    public static partial void TermFailed(ILogger logger, string workloadId, uint nodeId, long fencingToken, Exception exception);

    [LoggerMessage(3008, LogLevel.Information, "Service {Service} runs on node {NodeId} as the one owner of {WorkloadId} (fencing token {FencingToken})")]
    public static partial void ServiceStarted(ILogger logger, string service, uint nodeId, string workloadId, long fencingToken);

    [LoggerMessage(3009, LogLevel.Information, "Service {Service} stopped on node {NodeId}: it no longer owns {WorkloadId}")]
    public static partial void ServiceStopped(ILogger logger, string service, uint nodeId, string workloadId);

    [LoggerMessage(3010, LogLevel.Warning, "Service {Service} on node {NodeId} did not stop cleanly")]
    public static partial void ServiceStopFailed(ILogger logger, string service, uint nodeId, Exception exception);

    [LoggerMessage(3011, LogLevel.Error, "A handler of an ending term or lease on node {NodeId} threw; the others ran")]
    public static partial void HandlerFailed(ILogger logger, uint nodeId, Exception exception);

    [LoggerMessage(3012, LogLevel.Error, "Node {NodeId} hit an unexpected error in its coordination loop; trying again in {DelayMs:F0} ms")]
    public static partial void LoopFailed(ILogger logger, uint nodeId, double delayMs, Exception exception);
}
