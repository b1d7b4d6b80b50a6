using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// Log messages of the process runner and the local workload channel. Event ids 3250-3299
/// belong to this folder and never change meaning once released. <c>suppressed</c> counts
/// the same event held back by a throttle since the previous message.
/// </summary>
internal static partial class ProcessRunnerLog
{
    [LoggerMessage(EventId = 3250, Level = LogLevel.Information, Message = "Workload {WorkloadId}: process {ProcessId} started ({FileName}, fencing token {FencingToken}).")]
    public static partial void Started(ILogger logger, string workloadId, int processId, string fileName, long fencingToken);

    [LoggerMessage(EventId = 3252, Level = LogLevel.Warning, Message = "Workload {WorkloadId}: process {ProcessId} ended by itself: {Kind}, {Detail}.")]
    public static partial void EndedByItself(ILogger logger, string workloadId, int processId, WorkloadExitKind kind, string detail);

    [LoggerMessage(EventId = 3253, Level = LogLevel.Information, Message = "Workload {WorkloadId}: process {ProcessId} stopped: {Kind}, {Detail}.")]
    public static partial void Stopped(ILogger logger, string workloadId, int processId, WorkloadExitKind kind, string detail);

    [LoggerMessage(EventId = 3254, Level = LogLevel.Information, Message = "Workload {WorkloadId}: stopping process {ProcessId} ({Descendants} descendants), grace period {GracePeriod}.")]
    public static partial void Stopping(ILogger logger, string workloadId, int processId, int descendants, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 3255, Level = LogLevel.Warning, Message = "Workload {WorkloadId}: process {ProcessId} did not stop within {GracePeriod}; killing it and its descendants.")]
    public static partial void Killing(ILogger logger, string workloadId, int processId, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 3256, Level = LogLevel.Warning, Message = "Workload {WorkloadId}: signal {Signal} to process {ProcessId} failed with errno {Errno}.")]
    public static partial void SignalFailed(ILogger logger, string workloadId, int processId, int signal, int errno);

    [LoggerMessage(EventId = 3257, Level = LogLevel.Warning, Message = "Workload {WorkloadId}: killing process {ProcessId} failed.")]
    public static partial void KillFailed(ILogger logger, Exception exception, string workloadId, int processId);

    [LoggerMessage(EventId = 3258, Level = LogLevel.Debug, Message = "Workload {WorkloadId}: killed descendant process {ProcessId} left behind by the stop.")]
    public static partial void DescendantKilled(ILogger logger, string workloadId, int processId);

    [LoggerMessage(EventId = 3259, Level = LogLevel.Warning, Message = "Workload {WorkloadId}: processes {ProcessIds} were still alive {Timeout} after SIGKILL.")]
    public static partial void SurvivorsLeft(ILogger logger, string workloadId, string processIds, TimeSpan timeout);

    [LoggerMessage(EventId = 3260, Level = LogLevel.Debug, Message = "Local workload channel listening on {EndPoint}.")]
    public static partial void ChannelStarted(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 3261, Level = LogLevel.Debug, Message = "Local workload channel stopped.")]
    public static partial void ChannelStopped(ILogger logger);

    [LoggerMessage(EventId = 3262, Level = LogLevel.Warning, Message = "The local workload channel's receive loop did not stop within {Timeout}; abandoning it.")]
    public static partial void ChannelStopTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 3263, Level = LogLevel.Debug, Message = "Local workload channel: dropped input from {Remote}: {Reason} ({Suppressed} more drops not logged).")]
    public static partial void ChannelInputDropped(ILogger logger, string remote, string reason, long suppressed);

    [LoggerMessage(EventId = 3264, Level = LogLevel.Debug, Message = "Local workload channel: no address known yet for workload {WireId}; probe dropped ({Suppressed} more not logged).")]
    public static partial void ChannelProbeUnroutable(ILogger logger, uint wireId, long suppressed);

    [LoggerMessage(EventId = 3265, Level = LogLevel.Warning, Message = "Local workload channel: sending a probe to workload {WireId} failed ({Error}) ({Suppressed} more not logged).")]
    public static partial void ChannelSendFailed(ILogger logger, uint wireId, SocketError error, long suppressed);

    [LoggerMessage(EventId = 3266, Level = LogLevel.Warning, Message = "Local workload channel: receive failed ({Error}); the loop goes on ({Suppressed} more not logged).")]
    public static partial void ChannelReceiveFailed(ILogger logger, SocketError error, long suppressed);

    [LoggerMessage(EventId = 3267, Level = LogLevel.Error, Message = "Local workload channel: the signals of workload {WorkloadId} threw on a {FrameType} frame ({Suppressed} more not logged).")]
    public static partial void ChannelSignalsFailed(ILogger logger, Exception exception, string workloadId, FrameType frameType, long suppressed);

    [LoggerMessage(EventId = 3268, Level = LogLevel.Debug, Message = "Local workload channel: workload {WorkloadId} is at {EndPoint}.")]
    public static partial void ChannelWorkloadLocated(ILogger logger, string workloadId, string endPoint);
}
