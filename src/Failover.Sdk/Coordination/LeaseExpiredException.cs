namespace Failover.Sdk.Coordination;

/// <summary>A request named a lease the store no longer has: it expired or was revoked.</summary>
public sealed class LeaseExpiredException : CoordinationException
{
    /// <summary>Creates the exception.</summary>
    public LeaseExpiredException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LeaseExpiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LeaseExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for lease <paramref name="leaseId"/>.</summary>
    public LeaseExpiredException(long leaseId)
        : base($"Lease {leaseId} does not exist: it expired or was revoked.")
    {
        LeaseId = leaseId;
    }

    /// <summary>The lease, when known.</summary>
    public long LeaseId { get; }
}
