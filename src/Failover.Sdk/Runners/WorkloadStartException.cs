namespace Failover.Sdk.Runners;

/// <summary>A workload could not be started on this node: the program is missing, the folder does not exist, the code threw at start.</summary>
public sealed class WorkloadStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkloadStartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkloadStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WorkloadStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="workloadId"/>.</summary>
    public WorkloadStartException(string workloadId, string message, Exception? innerException = null)
        : base($"Workload '{workloadId}' could not be started: {message}", innerException)
    {
        WorkloadId = workloadId;
    }

    /// <summary>The workload, when known.</summary>
    public string? WorkloadId { get; }
}
