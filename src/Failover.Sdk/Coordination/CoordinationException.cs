namespace Failover.Sdk.Coordination;

/// <summary>A coordination store could not do what was asked.</summary>
public class CoordinationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CoordinationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CoordinationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CoordinationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
