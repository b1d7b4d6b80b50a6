using System.Globalization;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Swap;
using Failover.Sdk.Workloads;

/// <summary>
/// Prints this node's workload events on standard output, one line each, as
/// <c>name key=value ...</c> so scripts and tests can follow them; free text comes last, quoted:
/// <list type="bullet">
/// <item><c>run-started id=W token=T pid=P</c></item>
/// <item><c>run-ended id=W token=T pid=P stopped=true|false exit="..."</c></item>
/// <item><c>monitor-started id=W runner=N token=T</c> and <c>monitor-operational id=W runner=N token=T</c></item>
/// <item><c>swap-step id=W step=S node=N token=T detail="..."</c></item>
/// <item><c>swap-completed id=W from=A to=B old-monitor=M new-monitor=M2 token=T completed=true|false reason="..."</c></item>
/// </list>
/// </summary>
internal static class WorkloadEventLines
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Attach(FailoverWorkloads workloads)
    {
        workloads.RunStarted += (_, e) => Say(string.Create(Invariant, $"run-started id={e.WorkloadId} token={e.FencingToken} pid={Pid(e.ProcessId)}"));
        workloads.RunEnded += (_, e) => Say(string.Create(Invariant, $"run-ended id={e.WorkloadId} token={e.FencingToken} pid={Pid(e.ProcessId)} stopped={Flag(e.Stopped)} exit={Quote(e.Exit)}"));
        workloads.MonitorStarted += (_, e) => Say(Monitor("monitor-started", e));
        workloads.MonitorOperational += (_, e) => Say(Monitor("monitor-operational", e));
        workloads.SwapProgressed += (_, e) => Say(string.Create(Invariant, $"swap-step id={e.WorkloadId} step={e.Step} node={e.Node} token={e.FencingToken} detail={Quote(e.Detail)}"));
        workloads.SwapCompleted += (_, e) => Say(Completed(e));
    }

    private static string Monitor(string name, WorkloadMonitorStatus e) => string.Create(Invariant, $"{name} id={e.WorkloadId} runner={e.RunnerNode} token={e.FencingToken}");

    private static string Completed(WorkloadSwapRecord e) =>
        string.Create(Invariant, $"swap-completed id={e.WorkloadId} from={e.FromNode} to={e.ToNode} old-monitor={e.OldMonitor} new-monitor={e.NewMonitor} token={e.FencingToken} completed={Flag(e.Completed)} reason={Quote(e.Reason)}");

    private static string Pid(int? pid) => pid?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string Flag(bool value) => value ? "true" : "false";

    // One line, one quoted field: a quote or line break inside would end it early.
    private static string Quote(string text) => $"\"{text.Replace('"', '\'').ReplaceLineEndings(" ")}\"";

    private static void Say(string line) => Console.Out.WriteLine(line);
}
