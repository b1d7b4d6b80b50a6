using System.Collections.Frozen;

namespace Failover.Sdk.Swap;

/// <summary>
/// Decides where a workload runs and where its monitor runs: during a swap (FS-6, FS-8: only the
/// failed workload moves) and at cluster start. Pure: the same input gives the same ranking on
/// every node, whatever order the nodes, node sets and tags are listed in, so nodes that
/// compute it independently agree, and the ranking can be replayed (BY-8).
/// </summary>
internal static class PlacementPolicy
{
    /// <summary>
    /// Ranks the nodes that could run <paramref name="workload"/> when it leaves
    /// <paramref name="failedNode"/>. Preference: a LAN other than the failed node's (claims
    /// 30-31, FS-9), then the least loaded, then the current monitor's node (the seed's swap
    /// moves the workload to its monitor's node, claim 14), then node id.
    /// </summary>
    /// <param name="workload">The workload to place.</param>
    /// <param name="nodes">Every node of the cluster, each once.</param>
    /// <param name="failedNode">The node it failed on; 0 for none.</param>
    /// <param name="currentMonitor">The node monitoring it now; 0 for none.</param>
    /// <param name="excluded">Nodes already tried in this swap.</param>
    public static PlacementRanking RankRunners(
        PlacementSpec workload,
        IReadOnlyList<PlacementNode> nodes,
        uint failedNode,
        uint currentMonitor,
        IReadOnlySet<uint> excluded)
    {
        CheckWorkload(workload);
        CheckNodes(nodes);
        ArgumentNullException.ThrowIfNull(excluded);

        FrozenSet<uint> allowed = workload.Nodes.ToFrozenSet();
        string? failedLan = LanOf(nodes, failedNode);
        var eligible = new List<PlacementNode>(nodes.Count);
        var rejected = new List<PlacementCandidate>(nodes.Count);
        foreach (PlacementNode node in nodes)
        {
            string? reason = RunnerRejection(workload, allowed, node, failedNode, excluded);
            if (reason is null)
            {
                eligible.Add(node);
            }
            else
            {
                rejected.Add(new PlacementCandidate(node.NodeId, reason));
            }
        }

        eligible.Sort((a, b) =>
        {
            int c = OnOtherLan(b, failedLan).CompareTo(OnOtherLan(a, failedLan));
            if (c == 0)
            {
                c = a.RunningCount.CompareTo(b.RunningCount);
            }

            if (c == 0)
            {
                c = (b.NodeId == currentMonitor).CompareTo(a.NodeId == currentMonitor);
            }

            return c != 0 ? c : a.NodeId.CompareTo(b.NodeId);
        });
        return Assemble(eligible, rejected);
    }

    /// <summary>
    /// Ranks the nodes that could monitor <paramref name="workload"/> once it runs on
    /// <paramref name="runnerNode"/>: never that node (FS-1). Preference: a LAN other than the
    /// runner's (claims 29, 32-33, FS-9), then <paramref name="preferredNode"/> (the node it
    /// failed on, claim 14), then the fewest monitored workloads, then node id. Tags do not
    /// apply: a monitor only probes.
    /// </summary>
    /// <param name="workload">The workload to monitor.</param>
    /// <param name="nodes">Every node of the cluster, each once.</param>
    /// <param name="runnerNode">The node it will run on; 0 for none.</param>
    /// <param name="preferredNode">The node it failed on; 0 for none.</param>
    /// <param name="excluded">Nodes already tried for its monitor in this swap.</param>
    public static PlacementRanking RankMonitors(
        PlacementSpec workload,
        IReadOnlyList<PlacementNode> nodes,
        uint runnerNode,
        uint preferredNode,
        IReadOnlySet<uint> excluded)
    {
        CheckWorkload(workload);
        CheckNodes(nodes);
        ArgumentNullException.ThrowIfNull(excluded);

        FrozenSet<uint> allowed = workload.MonitorNodes.ToFrozenSet();
        string? runnerLan = LanOf(nodes, runnerNode);
        var eligible = new List<PlacementNode>(nodes.Count);
        var rejected = new List<PlacementCandidate>(nodes.Count);
        foreach (PlacementNode node in nodes)
        {
            string? reason = MonitorRejection(allowed, node, runnerNode, excluded);
            if (reason is null)
            {
                eligible.Add(node);
            }
            else
            {
                rejected.Add(new PlacementCandidate(node.NodeId, reason));
            }
        }

        eligible.Sort((a, b) =>
        {
            int c = OnOtherLan(b, runnerLan).CompareTo(OnOtherLan(a, runnerLan));
            if (c == 0)
            {
                c = (b.NodeId == preferredNode).CompareTo(a.NodeId == preferredNode);
            }

            if (c == 0)
            {
                c = a.MonitoringCount.CompareTo(b.MonitoringCount);
            }

            return c != 0 ? c : a.NodeId.CompareTo(b.NodeId);
        });
        return Assemble(eligible, rejected);
    }

    /// <summary>
    /// The placement at cluster start, from configuration alone so that every node computes the
    /// same one without talking: every node is taken as alive and idle, and the counts grow as
    /// workloads are placed, highest <see cref="PlacementSpec.Priority"/> first (ties in list
    /// order). With two nodes this gives active-active (FS-11): each runs about half and
    /// monitors the other's.
    /// </summary>
    /// <returns>One placement per workload, in the order of <paramref name="workloads"/>.</returns>
    public static IReadOnlyList<InitialPlacement> PlaceInitially(IReadOnlyList<PlacementSpec> workloads, IReadOnlyList<PlacementNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        CheckNodes(nodes);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < workloads.Count; i++)
        {
            PlacementSpec workload = workloads[i] ?? throw new ArgumentException($"Workload {i} is null.", nameof(workloads));
            CheckWorkload(workload);
            if (!ids.Add(workload.WorkloadId))
            {
                throw new ArgumentException($"Workload '{workload.WorkloadId}' is listed twice; each workload must appear once.", nameof(workloads));
            }
        }

        PlacementNode[] view = [.. nodes.Select(n => n with { IsAlive = true, RunningCount = 0, MonitoringCount = 0 })];
        var index = new Dictionary<uint, int>(view.Length);
        for (int i = 0; i < view.Length; i++)
        {
            index.Add(view[i].NodeId, i);
        }

        var result = new InitialPlacement[workloads.Count];
        // OrderByDescending is stable, which keeps equal priorities in list order.
        foreach (int w in Enumerable.Range(0, workloads.Count).OrderByDescending(i => workloads[i].Priority))
        {
            PlacementSpec workload = workloads[w];
            PlacementRanking runners = RankRunners(workload, view, failedNode: 0, currentMonitor: 0, FrozenSet<uint>.Empty);
            uint runner = workload.HomeNode is uint home && runners.Eligible.Contains(home)
                ? home
                : runners.First ?? 0;
            uint monitor = 0;
            if (runner != 0)
            {
                int r = index[runner];
                view[r] = view[r] with { RunningCount = view[r].RunningCount + 1 };
                monitor = RankMonitors(workload, view, runner, preferredNode: 0, FrozenSet<uint>.Empty).First ?? 0;
                if (monitor != 0)
                {
                    int m = index[monitor];
                    view[m] = view[m] with { MonitoringCount = view[m].MonitoringCount + 1 };
                }
            }

            result[w] = new InitialPlacement(workload.WorkloadId, runner, monitor);
        }

        return result;
    }

    private static string? RunnerRejection(PlacementSpec workload, FrozenSet<uint> allowed, PlacementNode node, uint failedNode, IReadOnlySet<uint> excluded)
    {
        if (allowed.Count > 0 && !allowed.Contains(node.NodeId))
        {
            return PlacementRejections.NotInNodes;
        }

        if (node.NodeId == failedNode)
        {
            return PlacementRejections.FailedNode;
        }

        if (excluded.Contains(node.NodeId))
        {
            return PlacementRejections.RunnerExcluded;
        }

        if (!node.IsAlive)
        {
            return PlacementRejections.Down;
        }

        // Enumerating with an explicit comparer keeps the match ordinal even when the caller's
        // collection is a set with a comparer of its own.
        string[] missing = [.. workload.RequiredTags
            .Where(tag => !node.Tags.Contains(tag, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
        return missing.Length > 0 ? PlacementRejections.LacksTags(missing) : null;
    }

    private static string? MonitorRejection(FrozenSet<uint> allowed, PlacementNode node, uint runnerNode, IReadOnlySet<uint> excluded)
    {
        if (allowed.Count > 0 && !allowed.Contains(node.NodeId))
        {
            return PlacementRejections.NotInMonitorNodes;
        }

        if (node.NodeId == runnerNode)
        {
            return PlacementRejections.RunsTheWorkload;
        }

        if (excluded.Contains(node.NodeId))
        {
            return PlacementRejections.MonitorExcluded;
        }

        return node.IsAlive ? null : PlacementRejections.Down;
    }

    /// <summary>
    /// A node with no LAN configured is not "another LAN": it may share the reference node's
    /// segment, so only a named, different LAN earns the preference.
    /// </summary>
    private static bool OnOtherLan(PlacementNode node, string? referenceLan) =>
        referenceLan is not null && IsKnown(node.Lan) && !string.Equals(node.Lan, referenceLan, StringComparison.Ordinal);

    private static string? LanOf(IReadOnlyList<PlacementNode> nodes, uint nodeId)
    {
        if (nodeId == 0)
        {
            return null;
        }

        foreach (PlacementNode node in nodes)
        {
            if (node.NodeId == nodeId)
            {
                return IsKnown(node.Lan) ? node.Lan : null;
            }
        }

        return null;
    }

    private static bool IsKnown(string? lan) => !string.IsNullOrWhiteSpace(lan);

    private static PlacementRanking Assemble(List<PlacementNode> eligible, List<PlacementCandidate> rejected)
    {
        rejected.Sort((a, b) => a.NodeId.CompareTo(b.NodeId));
        var candidates = new PlacementCandidate[eligible.Count + rejected.Count];
        for (int i = 0; i < eligible.Count; i++)
        {
            candidates[i] = new PlacementCandidate(eligible[i].NodeId, null);
        }

        rejected.CopyTo(candidates, eligible.Count);
        return new PlacementRanking(candidates);
    }

    private static void CheckWorkload(PlacementSpec workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.WorkloadId is null || workload.Nodes is null || workload.MonitorNodes is null || workload.RequiredTags is null)
        {
            throw new ArgumentException(
                $"Workload '{workload.WorkloadId}' is incomplete: its id, Nodes, MonitorNodes and RequiredTags must not be null.",
                nameof(workload));
        }

        if (workload.RequiredTags.Any(tag => tag is null))
        {
            throw new ArgumentException($"Workload '{workload.WorkloadId}' lists a null required tag.", nameof(workload));
        }
    }

    private static void CheckNodes(IReadOnlyList<PlacementNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var seen = new HashSet<uint>();
        for (int i = 0; i < nodes.Count; i++)
        {
            PlacementNode node = nodes[i] ?? throw new ArgumentException($"Node {i} of the cluster is null.", nameof(nodes));
            if (node.NodeId == 0)
            {
                throw new ArgumentException($"Node {i} of the cluster has id 0; ids must be non-zero (0 means no node).", nameof(nodes));
            }

            if (node.Tags is null || node.Tags.Any(tag => tag is null))
            {
                throw new ArgumentException($"Node {node.NodeId} has a null tag list or a null tag.", nameof(nodes));
            }

            if (!seen.Add(node.NodeId))
            {
                throw new ArgumentException($"Node {node.NodeId} is listed twice; each node of the cluster must appear once.", nameof(nodes));
            }
        }
    }
}
