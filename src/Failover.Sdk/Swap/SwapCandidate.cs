namespace Failover.Sdk.Swap;

/// <summary>A node a swap considered for the workload or its monitor, and why it was not taken (BY-7).</summary>
/// <param name="NodeId">The node.</param>
/// <param name="ForMonitor">False for a place to run the workload, true for a place to monitor it.</param>
/// <param name="Rejection">Why it was not eligible; null when it was.</param>
public sealed record SwapCandidate(uint NodeId, bool ForMonitor, string? Rejection);
