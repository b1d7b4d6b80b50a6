namespace Failover.Sdk.Coordination;

/// <summary>
/// A watch asked for changes the store no longer keeps. Read the current state again and
/// watch from that read's revision.
/// </summary>
public sealed class CoordinationHistoryCompactedException : CoordinationException
{
    /// <summary>Creates the exception.</summary>
    public CoordinationHistoryCompactedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CoordinationHistoryCompactedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CoordinationHistoryCompactedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a watch after <paramref name="requestedRevision"/> when history starts after <paramref name="compactRevision"/>.</summary>
    public CoordinationHistoryCompactedException(long requestedRevision, long compactRevision)
        : base($"Changes after revision {requestedRevision} are compacted; the store keeps changes after revision {compactRevision} only.")
    {
        RequestedRevision = requestedRevision;
        CompactRevision = compactRevision;
    }

    /// <summary>The revision the watch asked to start after.</summary>
    public long RequestedRevision { get; }

    /// <summary>The store keeps changes after this revision only.</summary>
    public long CompactRevision { get; }
}
