namespace Failover.Sdk.Workloads;

/// <summary>
/// Ends an ownership term from inside because the run ended by itself or never started: the
/// coordinator then releases the workload at once, so the node it moves to can claim it.
/// </summary>
internal sealed class WorkloadEndedException(string message) : Exception(message);
