using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Telemetry;

namespace Failover.Sdk.Swap;

/// <summary>
/// The explanation record of a swap (BY-7) as a trace span: one <c>failover.swap</c> activity
/// per swap, its tags the evidence, the outcome and every candidate with its rejection, and an
/// event per journaled step at the step's time.
/// </summary>
internal static class SwapTrace
{
    public static void Record(WorkloadSwapRecord record, TimeSpan duration)
    {
        // Every swap journals its detection first; the span starts at that step's time.
        if (record.Steps.Count == 0 || !FailoverActivitySource.Instance.HasListeners())
        {
            return;
        }

        DateTimeOffset start = record.Steps[0].At;
        using Activity? activity = FailoverActivitySource.Instance.StartActivity("failover.swap", ActivityKind.Internal, default(ActivityContext), startTime: start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("failover.workload", record.WorkloadId)
            .SetTag("failover.swap.reason", record.Reason)
            .SetTag("failover.swap.completed", record.Completed)
            .SetTag("failover.swap.from_node", record.FromNode)
            .SetTag("failover.swap.to_node", record.ToNode)
            .SetTag("failover.swap.old_monitor", record.OldMonitor)
            .SetTag("failover.swap.new_monitor", record.NewMonitor)
            .SetTag("failover.swap.fencing_token", record.FencingToken)
            .SetTag("failover.swap.candidates", string.Join("; ", record.Candidates.Select(Describe)));
        foreach (WorkloadSwapEvent step in record.Steps)
        {
            activity.AddEvent(new ActivityEvent(step.Step.ToString(), step.At, new ActivityTagsCollection
            {
                ["failover.node"] = step.Node,
                ["failover.fencing_token"] = step.FencingToken,
                ["failover.detail"] = step.Detail,
            }));
        }

        activity.SetStatus(record.Completed ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        activity.SetEndTime((start + duration).UtcDateTime);
    }

    private static string Describe(SwapCandidate candidate) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(candidate.ForMonitor ? "monitor" : "runner")} {candidate.NodeId}: {candidate.Rejection ?? "eligible"}");
}
