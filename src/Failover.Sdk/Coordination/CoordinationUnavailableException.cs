namespace Failover.Sdk.Coordination;

/// <summary>
/// The coordination store did not answer (unreachable, down, or too slow). The request may
/// or may not have taken effect; read again before acting on it.
/// </summary>
public sealed class CoordinationUnavailableException : CoordinationException
{
    /// <summary>Creates the exception.</summary>
    public CoordinationUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CoordinationUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CoordinationUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
