using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>
/// A coordinated world drawn from a seed, for the split-brain properties: five nodes on one LAN
/// or on two sites, the store on a random node, two workloads (one any node may run, one a
/// random few), and a burst of faults that all heal: partitions (some isolating the store's
/// node), pauses and hangs (many outlasting a lease), process and node crashes, NIC, switch and
/// WAN failures, clock drift within the safety margin and clock skew.
/// </summary>
/// <remarks>
/// Drawn with the simulator's own <see cref="SimulationRandom"/>, so a seed names one world on
/// every machine; the scenario's JSON (which a failure prints) replays it without the generator.
/// </remarks>
internal sealed class FencedWorld
{
    public const int NodeCount = 5;

    /// <summary>How long after the last heal the run settles before rule (c) is checked: several lease lives.</summary>
    public const int SettleLeases = 5;

    /// <summary>The drift a node may get: well within what the safety margin covers (-200,000 ppm with the defaults).</summary>
    public const int MaxDriftPpm = 100_000;

    private static readonly TimeSpan FaultsFrom = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FaultsUntil = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan MaxFault = TimeSpan.FromSeconds(6);

    private readonly SimulationRandom _random;
    private readonly List<string> _switches = [];
    private readonly List<string> _wans = [];

    private FencedWorld(ulong seed)
    {
        _random = new SimulationRandom(seed).Fork("fenced-world");
        Scenario scenario = Scenario.Create(seed);
        bool twoSites = _random.Next(2) == 0;
        if (twoSites)
        {
            TwoSites(scenario);
        }
        else
        {
            scenario.SingleLan(NodeCount);
            _switches.Add("switch");
        }

        uint[] nodes = [.. Enumerable.Range(1, NodeCount).Select(i => (uint)i)];
        uint[] shuffled = [.. nodes.OrderBy(_ => _random.NextUInt64())];
        int few = 2 + _random.Next(3);
        var coordination = new CoordinationDefinition
        {
            StoreNode = _random.Next(3) == 0 ? null : nodes[_random.Next(NodeCount)],
            CampaignStagger = _random.Next(2) == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(200),
            Workloads = [new WorkloadDefinition("alpha", nodes), new WorkloadDefinition("beta", shuffled[..few])],
        };
        scenario.WithCoordination(coordination).RecordFrames(false);

        int count = 3 + _random.Next(6);
        TimeSpan lastHeal = TimeSpan.Zero;
        for (int i = 0; i < count; i++)
        {
            TimeSpan at = FaultsFrom + TimeSpan.FromTicks((long)(_random.NextDouble() * (FaultsUntil - FaultsFrom).Ticks));
            TimeSpan lasting = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(_random.NextDouble() * MaxFault.Ticks)));
            scenario.Inject(Fault(nodes, coordination.StoreNode ?? 1), at, lasting);
            lastHeal = at + lasting > lastHeal ? at + lasting : lastHeal;
        }

        Lease = coordination.LeaseTimeToLive;
        Healed = lastHeal;
        Settled = lastHeal + (SettleLeases * Lease);
        Definition = scenario.Lasting(Settled + TimeSpan.FromSeconds(1)).Build();
    }

    public ScenarioDefinition Definition { get; }

    public TimeSpan Lease { get; }

    /// <summary>When the last fault heals.</summary>
    public TimeSpan Healed { get; }

    /// <summary>When rule (c) is checked.</summary>
    public TimeSpan Settled { get; }

    public static FencedWorld Draw(ulong seed) => new(seed);

    /// <summary>Nodes 1 to 3 on site A (node 1 a manager), 4 and 5 on site B; a switch per path on each site; two WAN links.</summary>
    private void TwoSites(Scenario scenario)
    {
        foreach (string site in (string[])["a", "b"])
        {
            scenario.Lan($"site-{site}").Switch($"{site}1", $"site-{site}").Switch($"{site}2", $"site-{site}");
            _switches.AddRange([$"{site}1", $"{site}2"]);
        }

        scenario.Wan("wan-1", "site-a", "site-b").Wan("wan-2", "site-a", "site-b");
        _wans.AddRange(["wan-1", "wan-2"]);
        for (uint id = 1; id <= NodeCount; id++)
        {
            string site = id <= 3 ? "a" : "b";
            scenario.Node(id, id == 1 ? NodeRole.Manager : NodeRole.Application, new NicDefinition(1, $"{site}1"), new NicDefinition(2, $"{site}2"));
        }
    }

    /// <summary>A fault, weighted towards what threatens split brain: partitions, stalls and crashes.</summary>
    private Fault Fault(uint[] nodes, uint storeNode)
    {
        uint node = nodes[_random.Next(nodes.Length)];
        switch (_random.Next(16))
        {
            case 0 or 1 or 2:
                uint[] shuffled = [.. nodes.OrderBy(_ => _random.NextUInt64())];
                int cut = 1 + _random.Next(nodes.Length - 1);
                return new Partition([shuffled[..cut], shuffled[cut..]]);
            case 3:
                return new Partition([[storeNode], [.. nodes.Where(n => n != storeNode)]]);
            case 4 or 5 or 6:
                return new NodePause(node);
            case 7:
                return new ProcessHang(node);
            case 8:
                return new ProcessCrash(node);
            case 9 or 10:
                return new NodeCrash(node);
            case 11:
                return new NicFailure(node, 1);
            case 12:
                return new SwitchFailure(_switches[_random.Next(_switches.Count)]);
            case 13:
                return new ClockDrift(node, _random.Next((2 * MaxDriftPpm) + 1) - MaxDriftPpm);
            case 14:
                return new ClockSkew(node, TimeSpan.FromMilliseconds(_random.Next(20_001) - 10_000));
            default:
                return _wans.Count > 0 ? new LinkCut(_wans[_random.Next(_wans.Count)]) : new NodePause(node);
        }
    }
}
