namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>A scenario that cannot run: its definition or its JSON is inconsistent. The message names the offending part.</summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public ScenarioException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error underneath (a JSON error, say).</summary>
    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ScenarioException()
        : base("The scenario is invalid.")
    {
    }
}
