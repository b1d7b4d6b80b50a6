namespace Failover.Sdk.Swap;

/// <summary>
/// The reasons a node is turned down, written as the short sentences an operator reads in the
/// explanation record (BY-7): each completes "node N ...".
/// </summary>
internal static class PlacementRejections
{
    public const string NotInNodes = "not in the workload's Nodes";
    public const string FailedNode = "is the node the workload failed on";
    public const string RunnerExcluded = "already failed to start it in this swap";
    public const string Down = "down: no heartbeats";
    public const string NotInMonitorNodes = "not in the workload's MonitorNodes";
    public const string RunsTheWorkload = "runs the workload (FS-1)";
    public const string MonitorExcluded = "already failed to start its monitor in this swap";

    /// <summary>Names every missing tag, sorted, so the text is the same whatever order the tags were listed in.</summary>
    public static string LacksTags(IReadOnlyList<string> missing) => missing.Count == 1
        ? $"lacks tag '{missing[0]}'"
        : $"lacks tags {string.Join(", ", missing.Select(t => $"'{t}'"))}";
}
