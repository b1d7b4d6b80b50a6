using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>
/// Builds a <see cref="ScenarioDefinition"/> fluently: topology, agent settings, faults.
/// </summary>
/// <example>
/// <code>
/// ScenarioDefinition scenario = Scenario.Create(seed: 42)
///     .TwoSites(nodesPerSite: 2)
///     .FailNic(node: 2, path: 1, at: TimeSpan.FromSeconds(5), lasting: TimeSpan.FromSeconds(10))
///     .CrashNode(3, at: TimeSpan.FromSeconds(20), lasting: TimeSpan.FromSeconds(5))
///     .Lasting(TimeSpan.FromSeconds(40))
///     .Build();
/// </code>
/// </example>
public sealed class Scenario
{
    private readonly List<LanDefinition> _lans = [];
    private readonly List<SwitchDefinition> _switches = [];
    private readonly List<WanDefinition> _wans = [];
    private readonly List<NodeDefinition> _nodes = [];
    private readonly List<ScheduledFault> _faults = [];
    private readonly List<WorkloadDefinition> _workloads = [];
    private readonly SimulationRandom _random;
    private ScenarioDefinition _settings;

    private Scenario(ulong seed)
    {
        _settings = new ScenarioDefinition { Seed = seed };
        _random = new SimulationRandom(seed).Fork("scenario");
    }

    /// <summary>Starts a scenario whose every random draw comes from <paramref name="seed"/>.</summary>
    public static Scenario Create(ulong seed) => new(seed);

    /// <summary>Adds a LAN segment.</summary>
    public Scenario Lan(string name, LinkProfile? link = null)
    {
        _lans.Add(new LanDefinition(name, link));
        return this;
    }

    /// <summary>Adds a switch to a LAN.</summary>
    public Scenario Switch(string name, string lan)
    {
        _switches.Add(new SwitchDefinition(name, lan));
        return this;
    }

    /// <summary>Adds a WAN link between two LANs.</summary>
    public Scenario Wan(string name, string from, string to, LinkProfile? link = null)
    {
        _wans.Add(new WanDefinition(name, from, to, link));
        return this;
    }

    /// <summary>Adds a node with its NICs.</summary>
    public Scenario Node(uint id, NodeRole role, params NicDefinition[] nics)
    {
        _nodes.Add(new NodeDefinition(id, role, nics));
        return this;
    }

    /// <summary>Adds a node with its NICs and capabilities.</summary>
    public Scenario Node(NodeDefinition node)
    {
        _nodes.Add(node);
        return this;
    }

    /// <summary>
    /// Two sites, each a LAN with one switch per path (<c>a1</c>, <c>a2</c>; <c>b1</c>,
    /// <c>b2</c>), joined by two WAN links (<c>wan-1</c>, <c>wan-2</c>); every node has a NIC
    /// on path 1 and on path 2. Site A holds nodes 1 to <paramref name="nodesPerSite"/>,
    /// site B the next ones. Node 1 is a manager; on each site the last node is a spare.
    /// </summary>
    public Scenario TwoSites(int nodesPerSite = 2, LinkProfile? lan = null, LinkProfile? wan = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodesPerSite, 1);
        foreach (string site in (string[])["a", "b"])
        {
            Lan($"site-{site}", lan).Switch($"{site}1", $"site-{site}").Switch($"{site}2", $"site-{site}");
        }

        Wan("wan-1", "site-a", "site-b", wan).Wan("wan-2", "site-a", "site-b", wan);
        uint id = 1;
        foreach (string site in (string[])["a", "b"])
        {
            for (int i = 0; i < nodesPerSite; i++, id++)
            {
                NodeRole role = id == 1 ? NodeRole.Manager : i == nodesPerSite - 1 && nodesPerSite > 1 ? NodeRole.Spare : NodeRole.Application;
                Node(id, role, new NicDefinition(1, $"{site}1"), new NicDefinition(2, $"{site}2"));
            }
        }

        return this;
    }

    /// <summary>One LAN, one switch, <paramref name="nodes"/> nodes with one NIC each: the smallest world, for scale runs.</summary>
    public Scenario SingleLan(int nodes, LinkProfile? lan = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        Lan("lan", lan).Switch("switch", "lan");
        for (uint id = 1; id <= nodes; id++)
        {
            Node(id, NodeRole.Application, new NicDefinition(1, "switch"));
        }

        return this;
    }

    /// <summary>Sets the agents' failure-detection settings.</summary>
    public Scenario Agent(AgentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _settings = _settings with { Agent = profile };
        return this;
    }

    /// <summary>Every node watches every other (the default).</summary>
    public Scenario FullMesh()
    {
        _settings = _settings with { Peers = PeerSelection.FullMesh };
        return this;
    }

    /// <summary>Every node watches <paramref name="degree"/> neighbours in a ring.</summary>
    public Scenario Ring(int degree)
    {
        _settings = _settings with { Peers = PeerSelection.Ring, PeerDegree = degree };
        return this;
    }

    /// <summary>Sets how long the run lasts.</summary>
    public Scenario Lasting(TimeSpan duration)
    {
        _settings = _settings with { Duration = duration };
        return this;
    }

    /// <summary>Whether the journal records every frame (default true).</summary>
    public Scenario RecordFrames(bool record)
    {
        _settings = _settings with { RecordFrames = record };
        return this;
    }

    /// <summary>
    /// Runs a coordination store and every node's coordinator (BY-1), with
    /// <paramref name="coordination"/>'s settings (the simulator's defaults when null: 2 s leases,
    /// a 400 ms safety margin, the store on the first manager). Workloads come from its
    /// <see cref="CoordinationDefinition.Workloads"/> and from <see cref="Workload"/>.
    /// </summary>
    public Scenario WithCoordination(CoordinationDefinition? coordination = null)
    {
        _settings = _settings with { Coordination = coordination ?? new CoordinationDefinition() };
        return this;
    }

    /// <summary>
    /// Adds a workload that must run on exactly one of <paramref name="candidates"/> (listed in
    /// order of preference; every application node when none are given), turning coordination
    /// on with its defaults if <see cref="WithCoordination"/> was not called.
    /// </summary>
    public Scenario Workload(string id, params uint[] candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        _workloads.Add(new WorkloadDefinition(id, candidates.Length == 0 ? null : [.. candidates]));
        return this;
    }

    /// <summary>Injects <paramref name="fault"/> at <paramref name="at"/>, healed after <paramref name="lasting"/> (never, when null).</summary>
    public Scenario Inject(Fault fault, TimeSpan at, TimeSpan? lasting = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _faults.Add(new ScheduledFault(at, fault, lasting));
        return this;
    }

    /// <summary>The node crashes; it boots again as a new incarnation after <paramref name="lasting"/>.</summary>
    public Scenario CrashNode(uint node, TimeSpan at, TimeSpan? lasting = null) => Inject(new NodeCrash(node), at, lasting);

    /// <summary>The agent process crashes; it restarts after <paramref name="lasting"/>.</summary>
    public Scenario CrashProcess(uint node, TimeSpan at, TimeSpan? lasting = null) => Inject(new ProcessCrash(node), at, lasting);

    /// <summary>The agent process hangs (alive, silent) for <paramref name="lasting"/>.</summary>
    public Scenario HangProcess(uint node, TimeSpan at, TimeSpan? lasting = null) => Inject(new ProcessHang(node), at, lasting);

    /// <summary>The node stalls (GC, VM freeze) for <paramref name="lasting"/>.</summary>
    public Scenario PauseNode(uint node, TimeSpan at, TimeSpan lasting) => Inject(new NodePause(node), at, lasting);

    /// <summary>A NIC fails; repaired after <paramref name="lasting"/>.</summary>
    public Scenario FailNic(uint node, ushort path, TimeSpan at, TimeSpan? lasting = null) => Inject(new NicFailure(node, path), at, lasting);

    /// <summary>A switch fails; repaired after <paramref name="lasting"/>.</summary>
    public Scenario FailSwitch(string name, TimeSpan at, TimeSpan? lasting = null) => Inject(new SwitchFailure(name), at, lasting);

    /// <summary>A WAN link is cut; restored after <paramref name="lasting"/>.</summary>
    public Scenario CutLink(string name, TimeSpan at, TimeSpan? lasting = null) => Inject(new LinkCut(name), at, lasting);

    /// <summary>The nodes split into <paramref name="groups"/>; joined again after <paramref name="lasting"/>.</summary>
    public Scenario Partition(TimeSpan at, TimeSpan? lasting, params uint[][] groups) =>
        Inject(new Partition([.. groups.Select(g => (IReadOnlyList<uint>)[.. g])]), at, lasting);

    /// <summary>
    /// Adds <paramref name="count"/> faults at random instants in [<paramref name="from"/>,
    /// <paramref name="until"/>), each lasting a random time up to <paramref name="maxDuration"/>,
    /// drawn from this scenario's seed. Call after the topology: the faults name its nodes,
    /// NICs, switches and links. They are written into the definition, so its JSON replays
    /// them exactly.
    /// </summary>
    public Scenario RandomFaults(int count, TimeSpan from, TimeSpan until, TimeSpan maxDuration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (until <= from || maxDuration <= TimeSpan.Zero || _nodes.Count == 0)
        {
            throw new ArgumentException("Random faults need a non-empty window (from < until), a positive maximum duration, and nodes to fault.");
        }

        for (int i = 0; i < count; i++)
        {
            TimeSpan at = from + TimeSpan.FromTicks((long)(_random.NextDouble() * (until - from).Ticks));
            TimeSpan lasting = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(_random.NextDouble() * maxDuration.Ticks)));
            _faults.Add(new ScheduledFault(at, RandomFault(), lasting));
        }

        return this;
    }

    /// <summary>The definition, validated.</summary>
    /// <exception cref="ScenarioException">The scenario is inconsistent.</exception>
    public ScenarioDefinition Build()
    {
        CoordinationDefinition? coordination = _settings.Coordination ?? (_workloads.Count > 0 ? new CoordinationDefinition() : null);
        ScenarioDefinition definition = _settings with
        {
            Coordination = coordination is null ? null : coordination with { Workloads = [.. coordination.Workloads ?? [], .. _workloads] },
            Lans = [.. _lans],
            Switches = [.. _switches],
            Wans = [.. _wans],
            Nodes = [.. _nodes],
            Faults = [.. _faults],
        };
        ScenarioValidator.Validate(definition);
        return definition;
    }

    private Fault RandomFault()
    {
        NodeDefinition node = _nodes[_random.Next(_nodes.Count)];
        switch (_random.Next(_wans.Count > 0 ? 10 : 9))
        {
            case 0: return new NodeCrash(node.Id);
            case 1: return new ProcessCrash(node.Id);
            case 2: return new ProcessHang(node.Id);
            case 3: return new NodePause(node.Id);
            case 4: return new NicFailure(node.Id, node.Nics[_random.Next(node.Nics.Count)].PathId);
            case 5: return new ClockSkew(node.Id, TimeSpan.FromMilliseconds(_random.Next(2001) - 1000));
            case 6: return new ClockDrift(node.Id, _random.Next(2001) - 1000);
            case 7:
                return _switches.Count > 0 ? new SwitchFailure(_switches[_random.Next(_switches.Count)].Name) : new NodePause(node.Id);
            case 8:
                uint[] shuffled = [.. _nodes.Select(n => n.Id).OrderBy(_ => _random.NextUInt64())];
                int cut = 1 + _random.Next(Math.Max(1, shuffled.Length - 1));
                return shuffled.Length < 2 ? new ProcessHang(node.Id) : new Partition([shuffled[..cut], shuffled[cut..]]);
            default: return new LinkCut(_wans[_random.Next(_wans.Count)].Name);
        }
    }
}
