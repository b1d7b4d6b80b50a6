namespace Failover.Sdk.Swap;

/// <summary>
/// The explanation record of one process swap (BY-7): why it started, which nodes it
/// considered and why each was rejected, where the workload and its monitor went, and every
/// step on the way.
/// </summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="Reason">The monitor's evidence of the failure.</param>
/// <param name="FromNode">The node the workload failed on.</param>
/// <param name="ToNode">The node it runs on now; 0 when the swap was abandoned.</param>
/// <param name="OldMonitor">The node whose monitor found the failure.</param>
/// <param name="NewMonitor">The node that monitors it now.</param>
/// <param name="FencingToken">The new run's token; 0 when none.</param>
/// <param name="Completed">Whether the workload runs again (false: abandoned; see the last step).</param>
/// <param name="Candidates">Every node considered, in the order of preference, rejected ones with their reason.</param>
/// <param name="Steps">The journal of the swap.</param>
public sealed record WorkloadSwapRecord(
    string WorkloadId,
    string Reason,
    uint FromNode,
    uint ToNode,
    uint OldMonitor,
    uint NewMonitor,
    long FencingToken,
    bool Completed,
    IReadOnlyList<SwapCandidate> Candidates,
    IReadOnlyList<WorkloadSwapEvent> Steps);
