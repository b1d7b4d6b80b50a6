using System.Collections.Frozen;
using Failover.Sdk.Configuration;
using Failover.Sdk.Swap;

namespace Failover.Sdk.Tests.Swap;

public class PlacementPolicyTests
{
    private static readonly FrozenSet<uint> None = FrozenSet<uint>.Empty;

    private static PlacementNode Node(uint id, string? lan = null, bool alive = true, int running = 0, int monitoring = 0, params string[] tags) =>
        new(id, lan, alive, tags, running, monitoring);

    private static PlacementSpec Workload(
        string id = "w",
        uint[]? nodes = null,
        uint[]? monitorNodes = null,
        uint? home = null,
        string[]? tags = null,
        int priority = 0) =>
        new(id, nodes ?? [], monitorNodes ?? [], home, tags ?? [], priority);

    private static string? RejectionOf(PlacementRanking ranking, uint nodeId) =>
        Assert.Single(ranking.Candidates, c => c.NodeId == nodeId).Rejection;

    // ---- runner rejections ----

    [Fact]
    public void A_runner_outside_the_workloads_Nodes_is_rejected_and_empty_Nodes_means_every_node()
    {
        PlacementNode[] nodes = [Node(1), Node(2), Node(3)];

        PlacementRanking restricted = PlacementPolicy.RankRunners(Workload(nodes: [1, 3]), nodes, 0, 0, None);
        Assert.Equal([1u, 3u], restricted.Eligible);
        Assert.Equal("not in the workload's Nodes", RejectionOf(restricted, 2));

        PlacementRanking open = PlacementPolicy.RankRunners(Workload(), nodes, 0, 0, None);
        Assert.Equal([1u, 2u, 3u], open.Eligible);
    }

    [Fact]
    public void The_node_the_workload_failed_on_is_rejected_as_its_runner()
    {
        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(), [Node(1), Node(2)], failedNode: 1, currentMonitor: 2, None);

        Assert.Equal("is the node the workload failed on", RejectionOf(ranking, 1));
        Assert.Equal(2u, ranking.First);
    }

    [Fact]
    public void A_runner_already_tried_in_this_swap_is_rejected()
    {
        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(), [Node(1), Node(2), Node(3)], 1, 2, new HashSet<uint> { 2 });

        Assert.Equal("already failed to start it in this swap", RejectionOf(ranking, 2));
        Assert.Equal(3u, ranking.First);
    }

    [Fact]
    public void A_dead_node_is_rejected_as_runner()
    {
        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(), [Node(1), Node(2, alive: false), Node(3)], 1, 2, None);

        Assert.Equal("down: no heartbeats", RejectionOf(ranking, 2));
        Assert.Equal(3u, ranking.First);
    }

    [Fact]
    public void A_runner_lacking_a_required_tag_is_rejected_and_tags_match_ordinally()
    {
        PlacementNode[] nodes =
        [
            Node(1, tags: "GPU"),
            Node(2, tags: ["gpu"]),
            Node(3, tags: ["ssd", "gpu"]),
            Node(4),
        ];

        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(tags: ["ssd", "gpu"]), nodes, 0, 0, None);

        Assert.Equal([3u], ranking.Eligible);
        Assert.Equal("lacks tags 'gpu', 'ssd'", RejectionOf(ranking, 1));
        Assert.Equal("lacks tag 'ssd'", RejectionOf(ranking, 2));
        Assert.Equal("lacks tags 'gpu', 'ssd'", RejectionOf(ranking, 4));
    }

    [Fact]
    public void A_runner_tag_set_with_a_case_insensitive_comparer_still_matches_ordinally()
    {
        var tags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "GPU" };
        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(tags: ["gpu"]), [new PlacementNode(1, null, true, tags, 0, 0)], 0, 0, None);

        Assert.Equal("lacks tag 'gpu'", RejectionOf(ranking, 1));
    }

    [Fact]
    public void A_runner_rejection_gives_the_first_applicable_reason()
    {
        PlacementNode[] nodes =
        [
            Node(1, alive: false),       // failed, excluded, dead, untagged: failed comes first
            Node(2, alive: false),       // excluded, dead, untagged
            Node(3, alive: false),       // dead, untagged
            Node(4, alive: false),       // outside Nodes, dead, untagged
            Node(5),                     // untagged
        ];

        PlacementRanking ranking = PlacementPolicy.RankRunners(
            Workload(nodes: [1, 2, 3, 5], tags: ["gpu"]), nodes, failedNode: 1, currentMonitor: 0, new HashSet<uint> { 1, 2 });

        Assert.Null(ranking.First);
        Assert.Equal(
            [
                (1u, "is the node the workload failed on"),
                (2u, "already failed to start it in this swap"),
                (3u, "down: no heartbeats"),
                (4u, "not in the workload's Nodes"),
                (5u, "lacks tag 'gpu'"),
            ],
            ranking.Candidates.Select(c => (c.NodeId, c.Rejection!)));
    }

    // ---- monitor rejections ----

    [Fact]
    public void A_monitor_outside_the_workloads_MonitorNodes_is_rejected()
    {
        PlacementRanking ranking = PlacementPolicy.RankMonitors(Workload(monitorNodes: [3]), [Node(1), Node(2), Node(3)], runnerNode: 1, 0, None);

        Assert.Equal("not in the workload's MonitorNodes", RejectionOf(ranking, 2));
        Assert.Equal([3u], ranking.Eligible);
    }

    [Fact]
    public void A_monitor_is_never_on_the_node_that_runs_the_workload_FS1()
    {
        PlacementRanking ranking = PlacementPolicy.RankMonitors(Workload(), [Node(1), Node(2)], runnerNode: 2, preferredNode: 2, None);

        Assert.Equal("runs the workload (FS-1)", RejectionOf(ranking, 2));
        Assert.Equal([1u], ranking.Eligible);
    }

    [Fact]
    public void A_monitor_already_tried_or_dead_is_rejected()
    {
        PlacementRanking ranking = PlacementPolicy.RankMonitors(
            Workload(), [Node(1), Node(2), Node(3, alive: false), Node(4)], runnerNode: 1, preferredNode: 2, new HashSet<uint> { 2 });

        Assert.Equal("already failed to start its monitor in this swap", RejectionOf(ranking, 2));
        Assert.Equal("down: no heartbeats", RejectionOf(ranking, 3));
        Assert.Equal([4u], ranking.Eligible);
    }

    [Fact]
    public void Required_tags_do_not_apply_to_monitors()
    {
        PlacementRanking ranking = PlacementPolicy.RankMonitors(
            Workload(tags: ["gpu"]), [Node(1, tags: "gpu"), Node(2)], runnerNode: 1, 0, None);

        Assert.Equal(2u, ranking.First);
    }

    // ---- preferences ----

    [Fact]
    public void The_runner_moves_to_a_LAN_other_than_the_failed_nodes_in_both_directions_claims_30_31()
    {
        // The other LAN wins even when it is busier, and even over the current monitor's node.
        PlacementNode[] nodes =
        [
            Node(1, "lan1"), Node(2, "lan1"), Node(3, "lan2", running: 5),
            Node(4, "lan2", running: 7), Node(5),
        ];

        PlacementRanking fromLan1 = PlacementPolicy.RankRunners(Workload(), nodes, failedNode: 1, currentMonitor: 2, None);
        Assert.Equal([3u, 4u, 2u, 5u], fromLan1.Eligible);

        PlacementRanking fromLan2 = PlacementPolicy.RankRunners(Workload(), nodes, failedNode: 3, currentMonitor: 4, None);
        Assert.Equal([1u, 2u, 5u, 4u], fromLan2.Eligible);
    }

    [Fact]
    public void Without_a_known_LAN_for_the_failed_node_the_runner_is_the_least_loaded()
    {
        PlacementNode[] nodes = [Node(1), Node(2, "lan1", running: 2), Node(3, "lan2", running: 1), Node(4, "  ", running: 0)];

        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(), nodes, failedNode: 1, currentMonitor: 0, None);

        Assert.Equal([4u, 3u, 2u], ranking.Eligible);
    }

    [Fact]
    public void The_runner_is_the_least_loaded_node_then_the_lowest_id()
    {
        PlacementNode[] nodes = [Node(4, running: 1), Node(3, running: 2), Node(2, running: 1), Node(1, running: 3)];

        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(), nodes, 0, 0, None);

        Assert.Equal([2u, 4u, 3u, 1u], ranking.Eligible);
    }

    [Fact]
    public void Between_equally_loaded_nodes_the_runner_goes_to_its_current_monitors_node_claim_14()
    {
        PlacementNode[] nodes = [Node(1), Node(2, running: 1), Node(3, running: 1), Node(4, running: 2)];

        PlacementRanking ranking = PlacementPolicy.RankRunners(Workload(), nodes, failedNode: 1, currentMonitor: 3, None);
        Assert.Equal([3u, 2u, 4u], ranking.Eligible);

        // Load still comes first: a busier monitor node does not win.
        PlacementRanking busy = PlacementPolicy.RankRunners(Workload(), nodes, failedNode: 1, currentMonitor: 4, None);
        Assert.Equal([2u, 3u, 4u], busy.Eligible);
    }

    [Fact]
    public void The_new_monitor_goes_to_a_LAN_other_than_the_runners_claims_29_32_33()
    {
        PlacementNode[] nodes =
        [
            Node(1, "lan1"), Node(2, "lan1"), Node(3, "lan2", monitoring: 9), Node(4),
        ];

        // Runner on lan1: the lan2 node wins over the preferred node and the idle ones.
        PlacementRanking onLan1 = PlacementPolicy.RankMonitors(Workload(), nodes, runnerNode: 2, preferredNode: 1, None);
        Assert.Equal([3u, 1u, 4u], onLan1.Eligible);

        // Runner on lan2: a lan1 node wins over the unknown-LAN one.
        PlacementRanking onLan2 = PlacementPolicy.RankMonitors(Workload(), nodes, runnerNode: 3, preferredNode: 4, None);
        Assert.Equal([1u, 2u, 4u], onLan2.Eligible);
    }

    [Fact]
    public void The_new_monitor_prefers_the_node_the_workload_failed_on_claim_14()
    {
        PlacementNode[] nodes = [Node(1, monitoring: 5), Node(2), Node(3, monitoring: 1)];

        PlacementRanking ranking = PlacementPolicy.RankMonitors(Workload(), nodes, runnerNode: 2, preferredNode: 1, None);

        Assert.Equal([1u, 3u], ranking.Eligible);
    }

    [Fact]
    public void Without_a_preferred_node_the_monitor_goes_to_the_node_monitoring_fewest_then_the_lowest_id()
    {
        PlacementNode[] nodes = [Node(5, monitoring: 1), Node(2), Node(4), Node(3, monitoring: 2)];

        PlacementRanking ranking = PlacementPolicy.RankMonitors(Workload(), nodes, runnerNode: 2, preferredNode: 0, None);

        Assert.Equal([4u, 5u, 3u], ranking.Eligible);
    }

    [Fact]
    public void The_seeds_swap_moves_the_workload_to_its_monitors_node_and_the_monitor_to_the_failed_node()
    {
        // Claim 14: the workload on A fails, B monitors it; it runs on B and A monitors it.
        PlacementNode[] nodes = [Node(1, running: 1, monitoring: 0), Node(2, running: 1, monitoring: 1), Node(3, running: 1)];
        PlacementSpec workload = Workload();

        uint? runner = PlacementPolicy.RankRunners(workload, nodes, failedNode: 1, currentMonitor: 2, None).First;
        Assert.Equal(2u, runner);
        Assert.Equal(1u, PlacementPolicy.RankMonitors(workload, nodes, runner!.Value, preferredNode: 1, None).First);
    }

    [Fact]
    public void A_dedicated_monitoring_node_never_gets_a_runner_FS10()
    {
        PlacementNode[] nodes = [Node(1), Node(2), Node(9)];
        PlacementSpec[] workloads =
        [
            Workload("a", nodes: [1, 2], monitorNodes: [9]),
            Workload("b", nodes: [1, 2], monitorNodes: [9]),
            Workload("c", nodes: [1, 2], monitorNodes: [9]),
        ];

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially(workloads, nodes);
        Assert.Equal([1u, 2u, 1u], placed.Select(p => p.Runner));
        Assert.All(placed, p => Assert.Equal(9u, p.Monitor));

        // After both runners fail, the workload has nowhere to go rather than landing on the monitoring node.
        PlacementRanking ranking = PlacementPolicy.RankRunners(workloads[0], nodes, failedNode: 1, currentMonitor: 9, new HashSet<uint> { 2 });
        Assert.Null(ranking.First);
        Assert.Equal("not in the workload's Nodes", RejectionOf(ranking, 9));
    }

    [Fact]
    public void Two_nodes_run_half_each_and_monitor_each_others_workloads_FS11()
    {
        PlacementNode[] nodes = [Node(1), Node(2)];
        PlacementSpec[] workloads = [.. Enumerable.Range(0, 5).Select(i => Workload($"w{i}"))];

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially(workloads, nodes);

        Assert.Equal(workloads.Select(w => w.WorkloadId), placed.Select(p => p.WorkloadId));
        Assert.Equal([1u, 2u, 1u, 2u, 1u], placed.Select(p => p.Runner));
        Assert.All(placed, p => Assert.Equal(3u - p.Runner, p.Monitor));
    }

    [Fact]
    public void The_home_node_is_honoured_when_eligible_even_over_a_less_loaded_node()
    {
        PlacementNode[] nodes = [Node(1), Node(2), Node(3)];
        PlacementSpec[] workloads = [Workload("a", home: 2), Workload("b", home: 2), Workload("c")];

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially(workloads, nodes);

        Assert.Equal([(2u, 1u), (2u, 3u), (1u, 2u)], placed.Select(p => (p.Runner, p.Monitor)));
    }

    [Fact]
    public void The_home_node_is_ignored_when_ineligible()
    {
        PlacementNode[] nodes = [Node(1), Node(2, running: 4), Node(3, tags: "gpu")];
        PlacementSpec[] workloads =
        [
            Workload("outside", nodes: [1, 3], home: 2),
            Workload("untagged", home: 1, tags: ["gpu"]),
            Workload("unknown", home: 7),
        ];

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially(workloads, nodes);

        // The given running count of node 2 is ignored at start: every node begins idle.
        Assert.Equal([1u, 3u, 2u], placed.Select(p => p.Runner));
    }

    [Fact]
    public void Initial_placement_goes_by_priority_then_list_order_and_takes_every_node_as_alive()
    {
        PlacementNode[] nodes = [Node(1, alive: false, running: 3, monitoring: 3), Node(2, alive: false)];
        PlacementSpec[] workloads = [Workload("low", priority: -1), Workload("mid1"), Workload("high", priority: 5), Workload("mid2")];

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially(workloads, nodes);

        // high → 1, mid1 → 2, mid2 → 1, low → 2.
        Assert.Equal(["low", "mid1", "high", "mid2"], placed.Select(p => p.WorkloadId));
        Assert.Equal([2u, 2u, 1u, 1u], placed.Select(p => p.Runner));
        Assert.Equal([1u, 1u, 2u, 2u], placed.Select(p => p.Monitor));
    }

    [Fact]
    public void With_no_eligible_node_First_is_null_and_every_candidate_has_a_reason()
    {
        PlacementNode[] nodes = [Node(3, alive: false), Node(1), Node(2)];
        PlacementSpec workload = Workload(nodes: [1, 2, 3], monitorNodes: [2]);

        PlacementRanking runners = PlacementPolicy.RankRunners(workload, nodes, failedNode: 1, currentMonitor: 2, new HashSet<uint> { 2 });
        Assert.Null(runners.First);
        Assert.Empty(runners.Eligible);
        Assert.Equal([1u, 2u, 3u], runners.Candidates.Select(c => c.NodeId));
        Assert.All(runners.Candidates, c => Assert.False(string.IsNullOrWhiteSpace(c.Rejection)));

        PlacementRanking monitors = PlacementPolicy.RankMonitors(workload, nodes, runnerNode: 2, 0, None);
        Assert.Null(monitors.First);
        Assert.All(monitors.Candidates, c => Assert.False(string.IsNullOrWhiteSpace(c.Rejection)));

        IReadOnlyList<InitialPlacement> placed = PlacementPolicy.PlaceInitially([Workload("nowhere", nodes: [8])], nodes);
        Assert.Equal(new InitialPlacement("nowhere", 0, 0), Assert.Single(placed));
    }

    [Fact]
    public void The_ranking_does_not_depend_on_the_order_of_nodes_sets_or_tags_and_mutates_nothing()
    {
        PlacementNode[] nodes =
        [
            Node(1, "lan1", running: 1, tags: ["a", "b"]), Node(2, "lan2", tags: ["b", "a"]), Node(3, "lan2", tags: ["a", "b"]),
            Node(4, "lan1", alive: false, tags: ["a", "b"]), Node(5, tags: ["b", "a"]),
        ];
        PlacementNode[] reversed = [.. nodes.Reverse()];
        PlacementNode[] snapshot = [.. nodes];
        var spec = Workload(nodes: [5, 3, 2, 1], tags: ["b", "a"]);
        var shuffledSpec = spec with { Nodes = new HashSet<uint> { 1, 2, 3, 5 }, RequiredTags = new HashSet<string> { "a", "b" } };

        PlacementRanking a = PlacementPolicy.RankRunners(spec, nodes, 1, 2, new HashSet<uint> { 2 });
        PlacementRanking b = PlacementPolicy.RankRunners(shuffledSpec, reversed, 1, 2, new SortedSet<uint> { 2 });

        Assert.Equal(a.Candidates, b.Candidates);
        Assert.Equal([3u, 5u], a.Eligible);
        Assert.Equal(snapshot, nodes);
        Assert.Equal(
            PlacementPolicy.PlaceInitially([spec, shuffledSpec with { WorkloadId = "w2" }], nodes),
            PlacementPolicy.PlaceInitially([spec, shuffledSpec with { WorkloadId = "w2" }], reversed));
        Assert.Equal(snapshot, nodes);
    }

    [Fact]
    public void Invalid_input_is_refused_with_a_clear_message()
    {
        PlacementNode[] twice = [Node(1), Node(2), Node(1)];
        ArgumentException duplicate = Assert.Throws<ArgumentException>(() => PlacementPolicy.RankRunners(Workload(), twice, 0, 0, None));
        Assert.Contains("Node 1 is listed twice", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PlacementPolicy.RankMonitors(Workload(), twice, 2, 0, None));
        Assert.Throws<ArgumentException>(() => PlacementPolicy.PlaceInitially([Workload()], twice));

        ArgumentException zero = Assert.Throws<ArgumentException>(() => PlacementPolicy.RankRunners(Workload(), [Node(0)], 0, 0, None));
        Assert.Contains("id 0", zero.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentNullException>(() => PlacementPolicy.RankRunners(null!, [Node(1)], 0, 0, None));
        Assert.Throws<ArgumentNullException>(() => PlacementPolicy.RankRunners(Workload(), null!, 0, 0, None));
        Assert.Throws<ArgumentNullException>(() => PlacementPolicy.RankMonitors(Workload(), [Node(1)], 0, 0, null!));
        Assert.Throws<ArgumentException>(() => PlacementPolicy.RankRunners(Workload(), [Node(1), null!], 0, 0, None));
        Assert.Throws<ArgumentException>(() => PlacementPolicy.RankRunners(Workload() with { Nodes = null! }, [Node(1)], 0, 0, None));
        Assert.Throws<ArgumentException>(() => PlacementPolicy.RankRunners(Workload(tags: [null!]), [Node(1)], 0, 0, None));

        ArgumentException sameId = Assert.Throws<ArgumentException>(() => PlacementPolicy.PlaceInitially([Workload("a"), Workload("a")], [Node(1)]));
        Assert.Contains("'a' is listed twice", sameId.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_spec_is_a_copy_of_the_workload_options()
    {
        var options = new FailoverWorkloadOptions
        {
            Id = "billing",
            Nodes = [1, 2],
            MonitorNodes = [9],
            HomeNode = 2,
            RequiredTags = ["gpu"],
            Priority = 3,
        };

        PlacementSpec spec = PlacementSpec.From(options);
        options.Nodes.Add(3);
        options.RequiredTags.Clear();

        Assert.Equal(("billing", 2u, 3), (spec.WorkloadId, spec.HomeNode!.Value, spec.Priority));
        Assert.Equal([1u, 2u], spec.Nodes);
        Assert.Equal([9u], spec.MonitorNodes);
        Assert.Equal(["gpu"], spec.RequiredTags);
        Assert.Throws<ArgumentNullException>(() => PlacementSpec.From(null!));
    }
}
