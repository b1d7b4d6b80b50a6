using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Etcd.Tests.Support;
using Failover.Sdk.Tests.Support;
using Xunit.Abstractions;

namespace Failover.Sdk.Etcd.Tests.Workloads;

/// <summary>
/// The process swap for real with a real etcd as the shared store: three agents as OS processes
/// on loopback UDP, each running real workload processes, every swap fenced. A workload's
/// new node can claim it only once the old node released it or the old node's lease expired,
/// and every new run gets a larger fencing token.
/// </summary>
[Collection(RealTime.Name)]
public sealed class ThreeAgentEtcdSwapTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private const int LeaseSeconds = 4;
    private const int MarginMs = 1000;
    private static readonly TimeSpan SteadyDeadline = TimeSpan.FromSeconds(60);

    /// <summary>As in the tests without a store: w1, w4 on node 1, w2 on node 2, w3 on node 3.</summary>
    /// <remarks>A peer is suspected after 10 heartbeats of 50 ms: see ThreeAgentSwapTests.</remarks>
    private static readonly ClusterSettings Settings = new()
    {
        Workloads = [new("w1", 1, "run"), new("w2", 2, "run"), new("w3", 3, "run"), new("w4", 1, "run")],
        MissedHeartbeats = 10,
    };

    [SkippableFact]
    public async Task A_killed_workload_and_a_frozen_one_move_alone_with_larger_fencing_tokens()
    {
        Skip.IfNot(Signals.Supported, "signals by Linux number and /proc");
        using AgentCluster cluster = await StartClusterAsync();
        await cluster.WaitUntilSteadyAsync(SteadyDeadline);

        // (a) kill -9 w1: its node releases it in etcd, the node it moves to claims it anew.
        SwapSeen killed = await SwapChecks.KilledWorkloadMovesAloneAsync(cluster, "w1", Signals.Kill);
        Assert.True(killed.Started.Long("token") > killed.Old.Long("token"), $"w1's new token {killed.Started["token"]} is above the old {killed.Old["token"]}");
        output.WriteLine($"w1: {killed.Old} -> {killed.Completed} / {killed.Started}");

        // (b) SIGSTOP w2: caught by the key/response probe, killed by its node after the stop timeout.
        SwapSeen frozen = await SwapChecks.FrozenWorkloadIsCaughtAndMovedAsync(cluster, "w2", Signals.Stop);
        Assert.True(frozen.Started.Long("token") > frozen.Old.Long("token"), $"w2's new token {frozen.Started["token"]} is above the old {frozen.Old["token"]}");
        Assert.True(frozen.Started.Long("token") > killed.Started.Long("token"), "one token sequence for the whole cluster");
        output.WriteLine($"w2: {frozen.Old} -> {frozen.Completed} / {frozen.Started}");

        // The store is shared: no agent warns that its swaps are unfenced.
        foreach (uint node in cluster.Nodes)
        {
            Assert.DoesNotContain(cluster[node].Errors, l => l.Contains("[3301]", StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public async Task A_killed_agents_workloads_start_elsewhere_only_after_its_lease_expired()
    {
        Skip.IfNot(Signals.Supported, "signals by Linux number and /proc");
        using AgentCluster cluster = await StartClusterAsync();
        Dictionary<string, AgentLine> runs = await cluster.WaitUntilSteadyAsync(SteadyDeadline);
        const uint Victim = 3;
        string[] ranThere = [.. runs.Values.Where(r => r.Node == Victim).Select(r => r["id"]!)];
        string[] watchedThere = [.. runs.Values.Where(r => cluster.OperationalMonitorOf(r) == Victim).Select(r => r["id"]!)];
        Assert.NotEmpty(ranThere);
        long newestBefore = runs.Values.Max(r => r.Long("token"));
        Dictionary<uint, int> mark = cluster.Mark();

        // SIGKILL to the agent alone: its workload processes are orphaned and run on, and no
        // agent is left to stop them (the cluster's cleanup kills them by pid). Fencing is what
        // keeps their stale tokens away from any resource once the workload has moved.
        long killedAt = Stopwatch.GetTimestamp();
        cluster[Victim].Kill();

        foreach (string id in ranThere)
        {
            AgentLine old = runs[id];
            uint monitor = cluster.OperationalMonitorOf(old);
            SwapSeen swap = await SwapChecks.CompletedSwapAsync(cluster, mark, id, old, monitor);
            TimeSpan after = Stopwatch.GetElapsedTime(killedAt, swap.Started.At);
            output.WriteLine($"{id}: started on node {swap.Started.Node} {after.TotalMilliseconds:F0} ms after the kill, token {swap.Started["token"]}: {swap.Completed}");

            // Unconfirmed: node 3 cannot answer; the claim had to wait for its lease.
            Assert.Contains("lease has expired", SwapChecks.Step(cluster, mark, swap.Completed, "TerminateUnconfirmed")["detail"], StringComparison.Ordinal);
            Assert.True(
                after >= TimeSpan.FromSeconds(LeaseSeconds) - TimeSpan.FromMilliseconds(MarginMs),
                $"{id} started on node {swap.Started.Node} {after.TotalMilliseconds:F0} ms after node {Victim} was killed, before its {LeaseSeconds} s lease could expire");
            Assert.True(swap.Started.Long("token") > newestBefore, $"{id}'s new token {swap.Started["token"]} is above every token before the kill ({newestBefore})");
            Assert.NotEqual(Victim, swap.Completed.UInt("new-monitor"));
        }

        // The runs node 3 watched get a new monitor from their own node; they do not move.
        foreach (string id in watchedThere)
        {
            AgentLine run = runs[id];
            AgentLine operational = await cluster.WaitForLineAsync(
                mark,
                l => l.Is("monitor-operational", id) && l.UInt("runner") == run.Node && l["token"] == run["token"],
                $"a new monitor of {id} on node {run.Node}",
                cluster.Settings.MonitorReadyTimeout + SwapChecks.SwapDeadline);
            Assert.NotEqual(Victim, operational.Node);
        }

        foreach ((string id, AgentLine run) in runs.Where(r => r.Value.Node != Victim))
        {
            SwapChecks.KeptItsProcess(cluster, id, run, mark);
        }
    }

    private Task<AgentCluster> StartClusterAsync()
    {
        string url = etcd.Server.ClientUrl;
        string prefix = EtcdFixture.NewPrefix();
        return AgentCluster.StartAsync(Settings, _ =>
        [
            "--etcd", url,
            "--etcd-prefix", prefix,
            "--lease-ttl", LeaseSeconds.ToString(CultureInfo.InvariantCulture),
            "--lease-margin", MarginMs.ToString(CultureInfo.InvariantCulture),
            "--request-timeout", "1000",
            // Renewed often, so the lease the killed agent leaves behind has nearly all its time to live.
            "--Failover:Coordination:LeaseRenewInterval=00:00:00.500",
        ]);
    }
}
