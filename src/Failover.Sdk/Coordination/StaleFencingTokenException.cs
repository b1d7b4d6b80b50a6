namespace Failover.Sdk.Coordination;

/// <summary>A start or command carried a fencing token older than the newest one the resource has seen: it came from a stale owner.</summary>
public sealed class StaleFencingTokenException : CoordinationException
{
    /// <summary>Creates the exception.</summary>
    public StaleFencingTokenException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StaleFencingTokenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StaleFencingTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="token"/> refused because <paramref name="newest"/> was seen.</summary>
    public StaleFencingTokenException(long token, long newest)
        : base($"Fencing token {token} is stale: token {newest} has been seen.")
    {
        Token = token;
        Newest = newest;
    }

    /// <summary>The refused token.</summary>
    public long Token { get; }

    /// <summary>The newest token seen when it was refused.</summary>
    public long Newest { get; }
}
