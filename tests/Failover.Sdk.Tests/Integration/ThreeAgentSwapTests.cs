using System.Diagnostics;
using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Xunit.Abstractions;

namespace Failover.Sdk.Tests.Integration;

/// <summary>
/// The process swap for real, without a shared store: three agents as OS processes on
/// loopback UDP, each running real workload processes. Each agent's coordination store is its
/// own, so the agents follow the seeds' rule: a swap proceeds once node A confirms the stop,
/// or once no path to A answers at all, and every agent warns at start that split-brain
/// protection needs a shared store.
/// </summary>
/// <remarks>Not run beside other tests: its timing is a real clock's on a 2-core machine.</remarks>
[Collection(RealProcesses.Name)]
public sealed class ThreeAgentSwapTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SteadyDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Every node runs one or two workloads: w1, w4 on node 1, w2 on node 2, w3 on node 3.</summary>
    /// <remarks>
    /// Heartbeats every 50 ms, but a peer is suspected only after 10 of them (500 ms): on a shared
    /// 2-core machine a process starting a workload can stall another's heartbeats past 150 ms,
    /// and a peer suspected for that instant is passed over when the swap places the monitor.
    /// </remarks>
    private static readonly ClusterSettings Settings = new()
    {
        Workloads = [new("w1", 1, "run"), new("w2", 2, "run"), new("w3", 3, "run"), new("w4", 1, "run")],
        MissedHeartbeats = 10,
    };

    [SkippableFact]
    public async Task A_killed_workload_and_a_frozen_one_move_alone_and_their_monitors_move_the_other_way()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "signals by Linux number and /proc");
        using AgentCluster cluster = await AgentCluster.StartAsync(Settings);
        await cluster.WaitUntilSteadyAsync(SteadyDeadline);

        // (a) kill -9 w1: its agent sees the exit and tells the monitor, which moves it.
        SwapSeen killed = await SwapChecks.KilledWorkloadMovesAloneAsync(cluster, "w1", pid => Signal(pid, UnixSignals.Kill));
        output.WriteLine($"w1: {killed.Old} -> {killed.Completed} / {killed.Started}");

        // (b) SIGSTOP w2: only the key/response probe can tell; its node kills it after the stop timeout.
        SwapSeen frozen = await SwapChecks.FrozenWorkloadIsCaughtAndMovedAsync(cluster, "w2", pid => Signal(pid, UnixSignals.Stop));
        output.WriteLine($"w2: {frozen.Old} -> {frozen.Completed} / {frozen.Started}");

        // (c) every agent said at start that its swaps are not fenced.
        foreach (uint node in cluster.Nodes)
        {
            string[] log = [.. cluster[node].Errors];
            int warning = Array.FindIndex(log, l => l.Contains("[3301]", StringComparison.Ordinal));
            Assert.True(warning >= 0 && log[warning + 1].Contains("not protected against split brain", StringComparison.Ordinal), $"node {node} warned about split brain (event 3301): {string.Join(" | ", log.Take(20))}");
        }
    }

    [SkippableFact]
    public async Task A_killed_agents_workloads_move_once_no_path_to_it_answers_and_its_monitors_are_placed_again()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "signals by Linux number and /proc");
        using AgentCluster cluster = await AgentCluster.StartAsync(Settings);
        Dictionary<string, AgentLine> runs = await cluster.WaitUntilSteadyAsync(SteadyDeadline);
        const uint Victim = 3;
        string[] ranThere = [.. runs.Values.Where(r => r.Node == Victim).Select(r => r["id"]!)];
        string[] watchedThere = [.. runs.Values.Where(r => cluster.OperationalMonitorOf(r) == Victim).Select(r => r["id"]!)];
        Assert.NotEmpty(ranThere);
        Assert.NotEmpty(watchedThere);
        uint[] survivors = [.. cluster.Nodes.Where(n => n != Victim)];
        Dictionary<uint, int> mark = cluster.Mark();

        long killedAt = Stopwatch.GetTimestamp();
        cluster[Victim].Kill();

        // All its peers see it down: no path to it answers.
        foreach (uint node in survivors)
        {
            await cluster.WaitForLineAsync(mark, l => l.Node == node && l.Name == "peer-down" && l.UInt("node") == Victim, $"node {node} sees node {Victim} down", SwapChecks.SwapDeadline);
        }

        foreach (string id in ranThere)
        {
            AgentLine old = runs[id];
            uint monitor = cluster.OperationalMonitorOf(old);
            SwapSeen swap = await SwapChecks.CompletedSwapAsync(cluster, mark, id, old, monitor);
            output.WriteLine($"{id}: moved {Stopwatch.GetElapsedTime(killedAt, swap.Started.At).TotalMilliseconds:F0} ms after the kill: {swap.Completed}");

            // Unconfirmed, and taken as failed only once its agent saw no path to node 3 answer.
            AgentLine unconfirmed = SwapChecks.Step(cluster, mark, swap.Completed, "TerminateUnconfirmed");
            Assert.Contains("no path to it answers", unconfirmed["detail"], StringComparison.Ordinal);
            AgentLine down = cluster.LinesAfter(mark).First(l => l.Node == monitor && l.Name == "peer-down" && l.UInt("node") == Victim);
            Assert.True(down.Index < unconfirmed.Index, $"node {monitor} went on only after it saw node {Victim} down");
            Assert.NotEqual(Victim, swap.Completed.UInt("new-monitor"));

            // Without a shared store nothing fences the old run: its process, orphaned when its
            // agent died, still runs beside the new one. (The cluster's cleanup kills it.)
            Assert.True(cluster.IdentityOf(old.Int("pid")).IsAlive, $"{id}'s orphaned process {old["pid"]} runs on");
        }

        // The runs node 3 watched: their own agents notice nobody asks about them any more
        // and place a new monitor (FS-1), which becomes operational. They do not move.
        foreach (string id in watchedThere)
        {
            AgentLine run = runs[id];
            AgentLine operational = await cluster.WaitForLineAsync(
                mark,
                l => l.Is("monitor-operational", id) && l.UInt("runner") == run.Node && l["token"] == run["token"],
                $"a new monitor of {id} on node {run.Node}",
                cluster.Settings.MonitorReadyTimeout + SwapChecks.SwapDeadline);
            Assert.NotEqual(Victim, operational.Node);
            Assert.NotEqual(run.Node, operational.Node);
            Assert.Contains(cluster[run.Node].Errors, l => l.Contains("[3308]", StringComparison.Ordinal));
        }

        // FS-8 for the rest: everything that did not run on node 3 kept its process.
        foreach ((string id, AgentLine run) in runs.Where(r => r.Value.Node != Victim))
        {
            SwapChecks.KeptItsProcess(cluster, id, run, mark);
        }
    }

    [SkippableFact]
    public async Task An_agent_given_a_settings_file_that_does_not_exist_exits_and_says_so()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "a Linux path that does not exist");
        string missing = Path.Combine(Path.GetTempPath(), $"failover-missing-{Guid.NewGuid():N}.json");
        using ClusterAgent agent = ClusterAgent.Start(1, ["--settings", missing, "--node", "1"], _ => { });

        int code = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, code);
        Assert.Contains(agent.Errors, l => l.Contains($"--settings names '{missing}', which does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain(agent.Lines, l => l.Name == "ready");
    }

    private static void Signal(int processId, int signal)
    {
        int errno = UnixSignals.Send(processId, signal);
        Assert.True(errno == 0, $"kill({processId}, {signal}) failed with errno {errno}");
    }
}
