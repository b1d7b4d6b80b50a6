using Failover.Sdk.Swap;
using FsCheck;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Swap;

/// <summary>
/// Random clusters of 1-8 nodes (LAN null, lan1 or lan2; alive or not; tags; loads) and random
/// workloads, checked against the rules read independently of the policy's own ordering code.
/// </summary>
public class PlacementProperties
{
    private static readonly string?[] Lans = [null, "lan1", "lan2"];
    private static readonly string[] TagPool = ["gpu", "ssd"];

    /// <summary>One ushort (full range: FsCheck sizes plain ushorts to 0..100) per node: LAN, liveness (three in four alive), tags and both counts. Ids are sparse so that index and id differ.</summary>
    private static PlacementNode[] Cluster(DoNotSize<ushort>[] sized, bool reverse)
    {
        ushort[] raw = [.. (sized ?? []).Select(r => r.Item)];
        int count = 1 + (raw.Length % 8);
        var nodes = new PlacementNode[count];
        for (int i = 0; i < count; i++)
        {
            int bits = raw.Length == 0 ? 0 : raw[i % raw.Length];
            nodes[i] = new PlacementNode(
                NodeId: (uint)((i * 3) + 1),
                Lan: Lans[bits % 3],
                IsAlive: bits / 3 % 4 != 0,
                Tags: [.. TagPool.Where((_, t) => (bits / 12 >> t & 1) == 1)],
                RunningCount: bits / 48 % 4,
                MonitoringCount: bits / 192 % 4);
        }

        if (reverse)
        {
            Array.Reverse(nodes);
        }

        return nodes;
    }

    /// <summary>
    /// Bits 0-7 and 8-15 pick the Nodes and MonitorNodes (by node index); bits 16-17 the
    /// required tags; bits 18 and 19 empty the node sets, so "every node" is common; bits
    /// 20-23 the home node (none when past the cluster); bits 24-25 the priority.
    /// </summary>
    private static PlacementSpec Workload(string id, uint w, PlacementNode[] nodes)
    {
        uint[] ids = [.. nodes.Select(n => n.NodeId).Order()];
        uint[] Subset(int shift, int emptyBit) => (w >> emptyBit & 1) == 1
            ? []
            : [.. ids.Where((_, i) => (w >> (shift + i) & 1) == 1)];
        int home = (int)(w >> 20 & 0xF);
        return new PlacementSpec(
            id,
            Subset(0, 18),
            Subset(8, 19),
            home < ids.Length ? ids[home] : null,
            [.. TagPool.Where((_, t) => (w >> (16 + t) & 1) == 1)],
            (int)(w >> 24 & 3));
    }

    /// <summary>0 (no node) or one node of the cluster.</summary>
    private static uint Pick(PlacementNode[] nodes, byte pick)
    {
        int i = pick % (nodes.Length + 1);
        return i == 0 ? 0 : nodes[i - 1].NodeId;
    }

    private static HashSet<uint> Excluded(PlacementNode[] nodes, byte mask) =>
        [.. nodes.Where((_, i) => (mask >> i & 1) == 1).Select(n => n.NodeId)];

    private static bool In(IReadOnlyCollection<uint> set, uint id) => set.Count == 0 || set.Contains(id);

    private static bool CanRun(PlacementSpec w, PlacementNode n, uint failed, HashSet<uint> excluded) =>
        In(w.Nodes, n.NodeId) && n.NodeId != failed && !excluded.Contains(n.NodeId) && n.IsAlive
        && w.RequiredTags.All(t => n.Tags.Contains(t, StringComparer.Ordinal));

    private static bool CanMonitor(PlacementSpec w, PlacementNode n, uint runner, HashSet<uint> excluded) =>
        In(w.MonitorNodes, n.NodeId) && n.NodeId != runner && !excluded.Contains(n.NodeId) && n.IsAlive;

    private static bool OnOtherLan(PlacementNode n, string? lan) => lan is not null && n.Lan is not null && n.Lan != lan;

    private static PlacementNode NodeOf(PlacementNode[] nodes, uint id) => Assert.Single(nodes, n => n.NodeId == id);

    private static string? LanOf(PlacementNode[] nodes, uint id) => nodes.FirstOrDefault(n => n.NodeId == id)?.Lan;

    /// <summary>Each node once; eligible ones first, agreeing with the oracle; rejected ones by id, each with a reason.</summary>
    private static void AssertWellFormed(PlacementRanking ranking, PlacementNode[] nodes, Func<PlacementNode, bool> eligible)
    {
        Assert.Equal(nodes.Select(n => n.NodeId).Order(), ranking.Candidates.Select(c => c.NodeId).Order());
        PlacementCandidate[] rejected = [.. ranking.Candidates.SkipWhile(c => c.IsEligible)];
        Assert.All(rejected, c => Assert.False(string.IsNullOrWhiteSpace(c.Rejection)));
        Assert.Equal(rejected.Select(c => c.NodeId).Order(), rejected.Select(c => c.NodeId));
        Assert.All(ranking.Candidates, c => Assert.Equal(eligible(NodeOf(nodes, c.NodeId)), c.IsEligible));
        Assert.Equal(ranking.Candidates.Where(c => c.IsEligible).Select(c => (uint?)c.NodeId).FirstOrDefault(), ranking.First);
    }

    [Property(MaxTest = 500)]
    public void The_chosen_runner_is_never_the_failed_dead_or_excluded_node_is_allowed_and_tagged_and_on_another_LAN_when_one_is_eligible(
        DoNotSize<ushort>[] raw, DoNotSize<uint> w, byte failedPick, byte monitorPick, byte excludedMask, bool reverse)
    {
        PlacementNode[] nodes = Cluster(raw, reverse);
        PlacementSpec workload = Workload("w", w.Item, nodes);
        uint failed = Pick(nodes, failedPick);
        uint monitor = Pick(nodes, monitorPick);
        HashSet<uint> excluded = Excluded(nodes, excludedMask);

        PlacementRanking ranking = PlacementPolicy.RankRunners(workload, nodes, failed, monitor, excluded);

        AssertWellFormed(ranking, nodes, n => CanRun(workload, n, failed, excluded));
        if (ranking.First is uint chosen)
        {
            PlacementNode node = NodeOf(nodes, chosen);
            Assert.NotEqual(failed, chosen);
            Assert.True(node.IsAlive);
            Assert.DoesNotContain(chosen, excluded);
            Assert.True(In(workload.Nodes, chosen));
            Assert.All(workload.RequiredTags, t => Assert.Contains(t, node.Tags));

            string? failedLan = LanOf(nodes, failed);
            if (nodes.Any(n => CanRun(workload, n, failed, excluded) && OnOtherLan(n, failedLan)))
            {
                Assert.True(OnOtherLan(node, failedLan), $"runner {chosen} on {node.Lan ?? "no LAN"}, failed node on {failedLan}");
            }
        }
        else
        {
            Assert.DoesNotContain(nodes, n => CanRun(workload, n, failed, excluded));
        }

        // The order the nodes are listed in changes nothing.
        Assert.Equal(ranking.Candidates, PlacementPolicy.RankRunners(workload, [.. nodes.Reverse()], failed, monitor, excluded).Candidates);
    }

    [Property(MaxTest = 500)]
    public void The_chosen_monitor_is_never_the_runner_nor_dead_or_excluded_and_is_on_another_LAN_when_one_is_eligible(
        DoNotSize<ushort>[] raw, DoNotSize<uint> w, byte runnerPick, byte preferredPick, byte excludedMask, bool reverse)
    {
        PlacementNode[] nodes = Cluster(raw, reverse);
        PlacementSpec workload = Workload("w", w.Item, nodes);
        uint runner = Pick(nodes, runnerPick);
        uint preferred = Pick(nodes, preferredPick);
        HashSet<uint> excluded = Excluded(nodes, excludedMask);

        PlacementRanking ranking = PlacementPolicy.RankMonitors(workload, nodes, runner, preferred, excluded);

        AssertWellFormed(ranking, nodes, n => CanMonitor(workload, n, runner, excluded));
        if (ranking.First is uint chosen)
        {
            PlacementNode node = NodeOf(nodes, chosen);
            Assert.NotEqual(runner, chosen);
            Assert.True(node.IsAlive);
            Assert.DoesNotContain(chosen, excluded);
            Assert.True(In(workload.MonitorNodes, chosen));

            string? runnerLan = LanOf(nodes, runner);
            if (nodes.Any(n => CanMonitor(workload, n, runner, excluded) && OnOtherLan(n, runnerLan)))
            {
                Assert.True(OnOtherLan(node, runnerLan), $"monitor {chosen} on {node.Lan ?? "no LAN"}, runner on {runnerLan}");
            }
            else if (preferred != 0 && CanMonitor(workload, NodeOf(nodes, preferred), runner, excluded))
            {
                Assert.Equal(preferred, chosen);
            }
        }
        else
        {
            Assert.DoesNotContain(nodes, n => CanMonitor(workload, n, runner, excluded));
        }

        Assert.Equal(ranking.Candidates, PlacementPolicy.RankMonitors(workload, [.. nodes.Reverse()], runner, preferred, excluded).Candidates);
    }

    [Property(MaxTest = 300)]
    public void The_initial_placement_never_monitors_a_workload_from_its_own_node_and_every_node_computes_the_same_one(
        DoNotSize<ushort>[] raw, DoNotSize<uint>[] ws, bool reverse)
    {
        PlacementNode[] nodes = Cluster(raw, reverse);
        PlacementSpec[] workloads = [.. (ws ?? []).Take(12).Select((w, i) => Workload($"w{i}", w.Item, nodes))];
        HashSet<uint> none = [];

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially(workloads, nodes);

        Assert.Equal(workloads.Select(w => w.WorkloadId), placed.Select(p => p.WorkloadId));
        for (int i = 0; i < workloads.Length; i++)
        {
            PlacementSpec workload = workloads[i];
            (uint runner, uint monitor) = (placed[i].Runner, placed[i].Monitor);

            // At start every node counts as alive, whatever the input says.
            bool CanRunAtStart(PlacementNode n) => CanRun(workload, n with { IsAlive = true }, 0, none);
            if (runner == 0)
            {
                Assert.DoesNotContain(nodes, CanRunAtStart);
                Assert.Equal(0u, monitor);
                continue;
            }

            Assert.True(CanRunAtStart(NodeOf(nodes, runner)), $"{workload.WorkloadId} placed on {runner}, which cannot run it");
            if (workload.HomeNode is uint home && CanRunAtStart(NodeOf(nodes, home)))
            {
                Assert.Equal(home, runner);
            }

            Assert.NotEqual(runner, monitor);
            PlacementNode[] monitors = [.. nodes.Where(n => CanMonitor(workload, n with { IsAlive = true }, runner, none))];
            if (monitors.Length == 0)
            {
                Assert.Equal(0u, monitor);
                continue;
            }

            Assert.Contains(monitor, monitors.Select(n => n.NodeId));
            string? runnerLan = LanOf(nodes, runner);
            if (monitors.Any(n => OnOtherLan(n, runnerLan)))
            {
                Assert.True(OnOtherLan(NodeOf(nodes, monitor), runnerLan), $"monitor {monitor} shares the LAN of runner {runner}");
            }
        }

        Assert.Equal(placed, PlacementPolicy.PlaceInitially(workloads, [.. nodes.Reverse()]));
    }
}
