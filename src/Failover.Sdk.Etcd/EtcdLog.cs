using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Etcd;

/// <summary>The etcd store's log messages; event ids 3100-3199 are stable.</summary>
internal static partial class EtcdLog
{
    [LoggerMessage(3100, LogLevel.Information, "Coordination store: etcd at {Endpoints}, keys under '{KeyPrefix}', requests bounded by {RequestTimeoutMs:F0} ms")]
    public static partial void Created(ILogger logger, string endpoints, string keyPrefix, double requestTimeoutMs);

    // Debug: the caller (the coordinator) logs what the failure means for it.
    [LoggerMessage(3101, LogLevel.Debug, "etcd at {Endpoints} did not answer {What}: {Status}")]
    public static partial void Unavailable(ILogger logger, string endpoints, string what, string status);

    [LoggerMessage(3102, LogLevel.Warning, "etcd at {Endpoints} refused {What}: {Status}")]
    public static partial void Refused(ILogger logger, string endpoints, string what, string status);

    [LoggerMessage(3103, LogLevel.Error, "etcd key '{Key}' does not hold what this store writes there: {Problem}")]
    public static partial void CorruptValue(ILogger logger, string key, string problem);

    [LoggerMessage(3104, LogLevel.Information, "A watch after revision {Revision} found etcd's history compacted up to revision {CompactRevision}; the caller reads again")]
    public static partial void WatchCompacted(ILogger logger, long revision, long compactRevision);

    [LoggerMessage(3105, LogLevel.Debug, "A watch on etcd at {Endpoints} broke after revision {Revision}; the caller reads again")]
    public static partial void WatchBroken(ILogger logger, string endpoints, long revision, Exception exception);

    [LoggerMessage(3106, LogLevel.Debug, "Lease {LeaseId} granted for {TimeToLiveSeconds} s (asked {AskedMs:F0} ms)")]
    public static partial void LeaseGranted(ILogger logger, long leaseId, long timeToLiveSeconds, double askedMs);
}
