namespace Failover.Sdk.Tests.Support;

/// <summary>
/// The process swap seen from outside an <see cref="AgentCluster"/>, the same with a shared store
/// and without: one workload process is killed or frozen, and what the agents print must show
/// FS-6 (it moves, its monitor moves the other way) and FS-8 (nothing else moves).
/// </summary>
internal static class SwapChecks
{
    public static readonly TimeSpan SwapDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Kills workload <paramref name="workloadId"/>'s process with SIGKILL (<paramref name="kill"/>,
    /// by pid) on its node A: its agent sees it end and tells its monitor M, which moves it to
    /// another node B and starts the new monitor on A (alive: the seed's swap), then stops its own.
    /// </summary>
    /// <returns>The run before, the swap-completed line and the new run's run-started line.</returns>
    public static async Task<SwapSeen> KilledWorkloadMovesAloneAsync(AgentCluster cluster, string workloadId, Action<int> kill)
    {
        Dictionary<string, AgentLine> before = cluster.CurrentRuns();
        AgentLine old = before[workloadId];
        uint a = old.Node;
        uint monitor = cluster.OperationalMonitorOf(old);
        ProcessIdentity process = cluster.IdentityOf(old.Int("pid"));
        Dictionary<uint, int> mark = cluster.Mark();

        kill(process.ProcessId);
        SwapSeen swap = await CompletedSwapAsync(cluster, mark, workloadId, old, monitor);
        Assert.True(swap.Completed.UInt("new-monitor") == a, $"the new monitor is on node {a}, where it failed (it is alive): {swap.Completed}{Environment.NewLine}{cluster.Transcript()}");

        // Its agent sees the exit and tells the monitor at once; on a starved machine the
        // monitor's probes can tell first. Either way the run is gone by a SIGKILL.
        AgentLine detected = Step(cluster, mark, swap.Completed, "Detected");
        Assert.True(
            detected["detail"]!.Contains("ended by itself", StringComparison.Ordinal) || detected["detail"]!.Contains("probes in a row failed", StringComparison.Ordinal),
            detected.ToString());
        // A confirmed the stop only once its ownership was released: B's first claim succeeded.
        Assert.Equal("Terminated", Step(cluster, mark, swap.Completed, "Terminated")["step"]);
        Assert.Equal("Starting", Step(cluster, mark, swap.Completed, "Starting")["step"]);
        AgentLine ended = await cluster.WaitForLineAsync(mark, l => l.Node == a && l.Is("run-ended", workloadId), $"node {a} reports the end of {workloadId}", SwapDeadline);
        Assert.Equal(old["token"], ended["token"]);
        Assert.Contains("SIGKILL", ended["exit"], StringComparison.Ordinal);

        await NewMonitorIsOperationalAsync(cluster, mark, swap, a);
        OthersKeptTheirProcesses(cluster, before, workloadId, mark);
        return swap;
    }

    /// <summary>
    /// Freezes workload <paramref name="workloadId"/>'s process with SIGSTOP (<paramref name="freeze"/>,
    /// by pid): its sockets stay open and nothing answers, so only the monitor's key/response
    /// probes can tell. The monitor asks node A to terminate it; SIGTERM cannot act on a frozen
    /// process, so A kills it (and its tree) after the stop timeout. It moves as in FS-6.
    /// </summary>
    public static async Task<SwapSeen> FrozenWorkloadIsCaughtAndMovedAsync(AgentCluster cluster, string workloadId, Action<int> freeze)
    {
        Dictionary<string, AgentLine> before = cluster.CurrentRuns();
        AgentLine old = before[workloadId];
        uint a = old.Node;
        uint monitor = cluster.OperationalMonitorOf(old);
        ProcessIdentity process = cluster.IdentityOf(old.Int("pid"));
        Dictionary<uint, int> mark = cluster.Mark();

        freeze(process.ProcessId);
        await cluster.WaitAsync(() => process.IsStopped, $"process {process.ProcessId} of {workloadId} is frozen", SwapDeadline);
        SwapSeen swap = await CompletedSwapAsync(cluster, mark, workloadId, old, monitor);
        Assert.True(swap.Completed.UInt("new-monitor") == a, $"the new monitor is on node {a}, where it failed (it is alive): {swap.Completed}{Environment.NewLine}{cluster.Transcript()}");

        // Caught by the probe, not by an exit: the process never ended by itself.
        AgentLine detected = Step(cluster, mark, swap.Completed, "Detected");
        Assert.Contains("probes in a row failed", detected["detail"], StringComparison.Ordinal);
        Assert.Equal("Terminated", Step(cluster, mark, swap.Completed, "Terminated")["step"]);
        AgentLine ended = await cluster.WaitForLineAsync(mark, l => l.Node == a && l.Is("run-ended", workloadId), $"node {a} reports the end of {workloadId}", SwapDeadline);
        Assert.Equal(old["token"], ended["token"]);
        Assert.Equal("true", ended["stopped"]);
        Assert.StartsWith("Killed:", ended["exit"], StringComparison.Ordinal);
        await cluster.WaitAsync(() => !process.IsAlive, $"the frozen process {process.ProcessId} is gone", SwapDeadline);

        await NewMonitorIsOperationalAsync(cluster, mark, swap, a);
        OthersKeptTheirProcesses(cluster, before, workloadId, mark);
        return swap;
    }

    /// <summary>
    /// FS-8: no workload but <paramref name="moved"/> was started again after
    /// <paramref name="mark"/> or reported ended, and each still runs as the same process.
    /// </summary>
    public static void OthersKeptTheirProcesses(AgentCluster cluster, Dictionary<string, AgentLine> before, string moved, Dictionary<uint, int> mark)
    {
        foreach ((string id, AgentLine run) in before.Where(r => r.Key != moved))
        {
            KeptItsProcess(cluster, id, run, mark);
            Assert.Same(run, cluster.CurrentRuns()[id]);
        }
    }

    /// <summary>FS-8 for one workload: not started again nor ended since <paramref name="mark"/>, the same process still running.</summary>
    public static void KeptItsProcess(AgentCluster cluster, string workloadId, AgentLine run, Dictionary<uint, int> mark)
    {
        AgentLine[] changed = [.. cluster.LinesAfter(mark).Where(l => l.Is("run-started", workloadId) || l.Is("run-ended", workloadId) || l.Is("swap-completed", workloadId))];
        Assert.True(changed.Length == 0, $"{workloadId} (on node {run.Node}) was not to move: {string.Join(" | ", changed.Select(l => l.ToString()))}{Environment.NewLine}{cluster.Transcript()}");
        ProcessIdentity process = cluster.IdentityOf(run.Int("pid"));
        Assert.True(process.IsAlive, $"{workloadId}'s process {process.ProcessId} on node {run.Node} still runs");
    }

    /// <summary>
    /// Waits for the swap of <paramref name="workloadId"/> to complete on its monitor's node and
    /// checks the move: from A to another node B, with a new process, the old monitor named.
    /// </summary>
    public static async Task<SwapSeen> CompletedSwapAsync(AgentCluster cluster, Dictionary<uint, int> mark, string workloadId, AgentLine old, uint monitor)
    {
        AgentLine completed = await cluster.WaitForLineAsync(mark, l => l.Is("swap-completed", workloadId), $"the swap of {workloadId} completes", SwapDeadline);
        Assert.True(completed["completed"] == "true", $"{completed}{Environment.NewLine}{cluster.Transcript()}");
        Assert.Equal(monitor, completed.Node);
        Assert.Equal(old.Node, completed.UInt("from"));
        uint to = completed.UInt("to");
        Assert.NotEqual(old.Node, to);
        Assert.Equal(monitor, completed.UInt("old-monitor"));
        Assert.NotEqual(to, completed.UInt("new-monitor"));

        // The new run: on B, with the swap's token, a process of its own that runs. B prints it
        // before it answers the start; its pipe may still be read later than M's.
        await cluster.WaitForLineAsync(mark, l => l.Is("run-started", workloadId), $"the new run of {workloadId} is reported", SwapDeadline);
        AgentLine started = Assert.Single(cluster.LinesAfter(mark), l => l.Is("run-started", workloadId));
        Assert.Equal(to, started.Node);
        Assert.Equal(completed["token"], started["token"]);
        Assert.NotEqual(old["pid"], started["pid"]);
        Assert.True(cluster.IdentityOf(started.Int("pid")).IsAlive, $"the new process {started["pid"]} of {workloadId} runs");
        return new SwapSeen(old, completed, started);
    }

    /// <summary>The new monitor is operational on the new run, and the old monitor stopped when it moved elsewhere.</summary>
    private static async Task NewMonitorIsOperationalAsync(AgentCluster cluster, Dictionary<uint, int> mark, SwapSeen swap, uint monitorNode)
    {
        string id = swap.Completed["id"]!;
        await cluster.WaitForLineAsync(mark, l => l.Node == monitorNode && l.Is("monitor-operational", id), $"node {monitorNode} reports its monitor of {id} operational", SwapDeadline);
        AgentLine started = Assert.Single(cluster.LinesAfter(mark), l => l.Node == monitorNode && l.Is("monitor-started", id));
        Assert.Equal(swap.Started.Node, started.UInt("runner"));
        AgentLine operational = Assert.Single(cluster.LinesAfter(mark), l => l.Node == monitorNode && l.Is("monitor-operational", id));
        Assert.Equal(swap.Started["token"], operational["token"]);
        Assert.Equal(monitorNode, cluster.OperationalMonitorOf(swap.Started));
        if (monitorNode != swap.Completed.Node)
        {
            Assert.Equal(swap.Completed.Node, Step(cluster, mark, swap.Completed, "OldMonitorStopped").UInt("node"));
        }
    }

    /// <summary>The step <paramref name="step"/> of the swap that <paramref name="completed"/> ends, as its node printed it.</summary>
    public static AgentLine Step(AgentCluster cluster, Dictionary<uint, int> mark, AgentLine completed, string step) =>
        Assert.Single(
            cluster.LinesAfter(mark),
            l => l.Node == completed.Node && l.Index < completed.Index && l.Is("swap-step", completed["id"]!) && l["step"] == step);
}

/// <summary>One swap as the agents printed it.</summary>
/// <param name="Old">The run-started line of the run that failed.</param>
/// <param name="Completed">The swap-completed line.</param>
/// <param name="Started">The run-started line of the new run.</param>
internal sealed record SwapSeen(AgentLine Old, AgentLine Completed, AgentLine Started);
