using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>Checks a definition before anything is built, so a bad scenario fails with a message naming its mistake.</summary>
internal static class ScenarioValidator
{
    /// <exception cref="ScenarioException">The first inconsistency found.</exception>
    public static void Validate(ScenarioDefinition definition)
    {
        // JSON can say null where a list belongs ("nodes": null): name it rather than fail on it below.
        NoNulls(definition.Lans, nameof(definition.Lans));
        NoNulls(definition.Switches, nameof(definition.Switches));
        NoNulls(definition.Wans, nameof(definition.Wans));
        NoNulls(definition.Nodes, nameof(definition.Nodes));
        NoNulls(definition.Faults, nameof(definition.Faults));
        Check(definition.Duration > TimeSpan.Zero, $"Duration is {definition.Duration}; it must be positive.");
        Check(definition.Nodes.Count > 0, "The scenario has no nodes.");
        Check(definition.Agent is not null, "Agent is missing.");
        Check(definition.Agent!.HeartbeatInterval >= TimeSpan.FromMilliseconds(1), $"Agent.HeartbeatInterval is {definition.Agent.HeartbeatInterval}; the simulated agents need at least 1 ms.");

        HashSet<string> lans = Unique(definition.Lans.Select(l => l.Name), "LAN");
        foreach (LanDefinition lan in definition.Lans)
        {
            Profile(lan.Link, $"LAN '{lan.Name}'");
        }

        HashSet<string> switches = Unique(definition.Switches.Select(s => s.Name), "switch");
        foreach (SwitchDefinition sw in definition.Switches)
        {
            Check(lans.Contains(sw.Lan), $"Switch '{sw.Name}' is in LAN '{sw.Lan}', which the scenario does not define.");
        }

        Unique(definition.Wans.Select(w => w.Name), "WAN link");
        foreach (WanDefinition wan in definition.Wans)
        {
            Check(lans.Contains(wan.From) && lans.Contains(wan.To), $"WAN link '{wan.Name}' joins '{wan.From}' and '{wan.To}'; both must be LANs of the scenario.");
            Check(wan.From != wan.To, $"WAN link '{wan.Name}' joins LAN '{wan.From}' to itself.");
            Profile(wan.Link, $"WAN link '{wan.Name}'");
        }

        var ids = new HashSet<uint>();
        foreach (NodeDefinition node in definition.Nodes)
        {
            Check(node.Id != 0, "A node has id 0; node ids start at 1.");
            Check(ids.Add(node.Id), $"Node id {node.Id} appears twice.");
            Check(node.Nics is { Count: > 0 }, $"Node {node.Id} has no NIC.");
            NoNulls(node.Nics, $"Node {node.Id}'s {nameof(node.Nics)}");
            Check(node.Capabilities is not null, $"Node {node.Id}'s {nameof(node.Capabilities)} is null; leave it out for none.");
            var paths = new HashSet<ushort>();
            foreach (NicDefinition nic in node.Nics)
            {
                Check(nic.PathId != 0, $"Node {node.Id} has a NIC on path 0; path ids start at 1.");
                Check(paths.Add(nic.PathId), $"Node {node.Id} has two NICs on path {nic.PathId}.");
                Check(switches.Contains(nic.Switch), $"Node {node.Id}'s NIC on path {nic.PathId} is cabled to switch '{nic.Switch}', which the scenario does not define.");
            }
        }

        if (definition.Peers == PeerSelection.Ring)
        {
            int count = definition.Nodes.Count;
            Check(definition.PeerDegree >= 1 && definition.PeerDegree < count, $"PeerDegree is {definition.PeerDegree}; with {count} nodes in a ring it must be between 1 and {count - 1}.");
            Check(definition.PeerDegree % 2 == 0 || count % 2 == 0, $"PeerDegree {definition.PeerDegree} is odd, which needs an even number of nodes (there are {count}) so the opposite node is mutual.");
        }

        if (definition.Coordination is { } coordination)
        {
            ValidateCoordination(coordination, ids);
        }

        for (int i = 0; i < definition.Faults.Count; i++)
        {
            ScheduledFault scheduled = definition.Faults[i];
            string where = $"Faults[{i}]";
            Check(scheduled.Fault is not null, $"{where} has no fault.");
            Check(scheduled.At >= TimeSpan.Zero, $"{where} is at {scheduled.At}; it must not be negative.");
            Check(scheduled.Duration is null || scheduled.Duration > TimeSpan.Zero, $"{where} lasts {scheduled.Duration}; a duration must be positive (leave it out for a permanent fault).");
            ValidateFault(definition, scheduled.Fault!, where);
        }
    }

    /// <exception cref="ScenarioException">The fault names a node, NIC, switch or link the scenario lacks.</exception>
    public static void ValidateFault(ScenarioDefinition definition, Fault fault, string where)
    {
        bool HasNode(uint id) => definition.Nodes.Any(n => n.Id == id);
        void Node(uint id) => Check(HasNode(id), $"{where}: {fault.Describe()}, but there is no node {id}.");
        switch (fault)
        {
            case NodeCrash f: Node(f.Node); break;
            case ProcessCrash f: Node(f.Node); break;
            case ProcessHang f: Node(f.Node); break;
            case NodePause f: Node(f.Node); break;
            case ClockSkew f: Node(f.Node); break;
            case ClockDrift f:
                Node(f.Node);
                Check(Math.Abs(f.PartsPerMillion) <= 500_000, $"{where}: a drift of {f.PartsPerMillion} ppm is beyond ±500,000.");
                break;
            case NicFailure f:
                Node(f.Node);
                Check(definition.Nodes.First(n => n.Id == f.Node).Nics.Any(n => n.PathId == f.Path), $"{where}: {fault.Describe()}, but node {f.Node} has no NIC on path {f.Path}.");
                break;
            case SwitchFailure f:
                Check(definition.Switches.Any(s => s.Name == f.Switch), $"{where}: {fault.Describe()}, but there is no switch '{f.Switch}'.");
                break;
            case LinkCut f:
                Check(definition.Wans.Any(w => w.Name == f.Link), $"{where}: {fault.Describe()}, but there is no WAN link '{f.Link}'.");
                break;
            case Partition f:
                Check(f.Groups is { Count: >= 2 }, $"{where}: a partition needs at least two groups.");
                Check(f.Groups.All(g => g is not null), $"{where}: a group of the partition is null.");
                var seen = new HashSet<uint>();
                foreach (uint node in f.Groups.SelectMany(g => g))
                {
                    Node(node);
                    Check(seen.Add(node), $"{where}: node {node} is in two groups of the partition.");
                }

                break;
            default:
                throw new ScenarioException($"{where}: unknown fault {fault.GetType().Name}.");
        }
    }

    /// <summary>The rules the agents' options validator applies, named as the scenario names them, plus the workloads'.</summary>
    private static void ValidateCoordination(CoordinationDefinition c, HashSet<uint> ids)
    {
        const string C = nameof(ScenarioDefinition.Coordination);
        TimeSpan minimum = TimeSpan.FromMilliseconds(1);
        TimeSpan maximum = TimeSpan.FromHours(1);
        Check(c.StoreNode is null || ids.Contains(c.StoreNode.Value), $"{C}.StoreNode is {c.StoreNode}, but there is no such node.");
        TimeSpan ttl = c.LeaseTimeToLive;
        Check(ttl >= TimeSpan.FromMilliseconds(100) && ttl <= maximum, $"{C}.LeaseTimeToLive is {ttl}; it must be between 100 ms and 1 h.");
        Check(c.LeaseSafetyMargin > TimeSpan.Zero && c.LeaseSafetyMargin < ttl / 2, $"{C}.LeaseSafetyMargin is {c.LeaseSafetyMargin}; it must be above zero and below half of LeaseTimeToLive ({ttl / 2}).");
        Check(c.LeaseRenewInterval is null || (c.LeaseRenewInterval >= minimum && c.LeaseRenewInterval <= (ttl - c.LeaseSafetyMargin) / 2), $"{C}.LeaseRenewInterval is {c.LeaseRenewInterval}; it must be between 1 ms and half of LeaseTimeToLive - LeaseSafetyMargin ({(ttl - c.LeaseSafetyMargin) / 2}).");
        Check(c.RequestTimeout >= minimum && c.RequestTimeout <= maximum, $"{C}.RequestTimeout is {c.RequestTimeout}; it must be between 1 ms and 1 h.");
        Check(c.WriteInterval >= minimum && c.WriteInterval <= maximum, $"{C}.WriteInterval is {c.WriteInterval}; it must be between 1 ms and 1 h.");
        Check(c.CampaignStagger >= TimeSpan.Zero && c.CampaignStagger <= maximum, $"{C}.CampaignStagger is {c.CampaignStagger}; it must be between 0 and 1 h.");
        NoNulls(c.Workloads, $"{C}.{nameof(c.Workloads)}");
        var workloads = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < c.Workloads.Count; i++)
        {
            WorkloadDefinition workload = c.Workloads[i];
            string where = $"{C}.Workloads[{i}]";
            try
            {
                Failover.Sdk.Coordination.WorkloadIds.Validate(workload.Id!, "Id");
            }
            catch (ArgumentException ex)
            {
                throw new ScenarioException($"{where}.Id: {ex.Message}", ex);
            }

            Check(workloads.Add(workload.Id), $"{where}: the workload id '{workload.Id}' appears twice.");
            if (workload.Candidates is { } candidates)
            {
                Check(candidates.Count > 0, $"{where}.Candidates is empty; leave it out for every application node.");
                var seen = new HashSet<uint>();
                foreach (uint node in candidates)
                {
                    Check(ids.Contains(node), $"{where}.Candidates names node {node}, which the scenario does not have.");
                    Check(seen.Add(node), $"{where}.Candidates names node {node} twice.");
                }
            }
        }
    }

    private static HashSet<string> Unique(IEnumerable<string> names, string what)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            Check(!string.IsNullOrWhiteSpace(name), $"A {what} has no name.");
            Check(set.Add(name), $"The {what} name '{name}' appears twice.");
        }

        return set;
    }

    private static void Profile(LinkProfile? link, string owner)
    {
        try
        {
            link?.Validate(owner);
        }
        catch (ArgumentException ex)
        {
            throw new ScenarioException(ex.Message, ex);
        }
    }

    private static void NoNulls<T>(IReadOnlyList<T>? items, string name)
        where T : class
    {
        Check(items is not null, $"{name} is null; leave it out for none.");
        for (int i = 0; i < items!.Count; i++)
        {
            Check(items[i] is not null, $"{name}[{i}] is null.");
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ScenarioException(message);
        }
    }
}
