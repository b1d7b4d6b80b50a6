using Failover.Sdk.Configuration;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Scenarios;

/// <summary>Scenario JSON carries every part of a definition, and a hand-written file that leaves settings out gets the documented defaults.</summary>
public sealed class ScenarioJsonRoundTripTests
{
    /// <summary>Every kind of fault, every profile setting, a ring, capabilities and a permanent fault.</summary>
    internal static ScenarioDefinition Everything() =>
        Scenario.Create(seed: 0xFEEDFACE_CAFEBEEF)
            .Lan("site-a", new LinkProfile { Latency = TimeSpan.FromMicroseconds(120), Jitter = TimeSpan.FromMicroseconds(15), Loss = 0.001, Duplication = 0.002, Reordering = 0.003 })
            .Lan("site-b")
            .Switch("a1", "site-a").Switch("a2", "site-a").Switch("b1", "site-b")
            .Wan("wan-1", "site-a", "site-b", new LinkProfile { Latency = TimeSpan.FromMilliseconds(25), Jitter = TimeSpan.FromMilliseconds(3), Loss = 0.25 })
            .Wan("wan-2", "site-b", "site-a")
            .Node(1, NodeRole.Manager, new NicDefinition(1, "a1"), new NicDefinition(2, "a2"))
            .Node(new NodeDefinition(2, NodeRole.Application, [new NicDefinition(1, "a2"), new NicDefinition(2, "a1")]) { Kind = NodeKind.Storage, Capabilities = ["gpu", "ssd"] })
            .Node(3, NodeRole.Spare, new NicDefinition(1, "b1"))
            .Node(4, NodeRole.Application, new NicDefinition(1, "b1"))
            .Agent(new AgentProfile
            {
                HeartbeatInterval = TimeSpan.FromMilliseconds(25),
                MissedHeartbeats = 4,
                Detector = FailoverDetectorKind.PhiAccrual,
                PhiThreshold = 9.5,
                PhiMinStdDeviation = TimeSpan.FromMilliseconds(3),
                AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(40),
                RiseCount = 2,
            })
            .Ring(2)
            .CrashNode(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))
            .CrashProcess(3, TimeSpan.FromSeconds(1.5))
            .HangProcess(4, TimeSpan.FromMilliseconds(1700), TimeSpan.FromMilliseconds(300))
            .PauseNode(1, TimeSpan.FromSeconds(2), TimeSpan.FromTicks(12_345))
            .FailNic(1, 2, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1))
            .FailSwitch("b1", TimeSpan.FromSeconds(4))
            .CutLink("wan-2", TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(0.5))
            .Partition(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), [1, 3], [2], [4])
            .Inject(new ClockSkew(2, TimeSpan.FromMinutes(-90)), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1))
            .Inject(new ClockDrift(3, -12_345.5), TimeSpan.FromSeconds(6))
            .RandomFaults(count: 3, from: TimeSpan.FromSeconds(7), until: TimeSpan.FromSeconds(8), maxDuration: TimeSpan.FromSeconds(1))
            .RecordFrames(false)
            .Lasting(TimeSpan.FromSeconds(9.5))
            .Build();

    [Fact]
    public void Json_round_trips_every_part_of_a_definition()
    {
        ScenarioDefinition original = Everything();
        string json = ScenarioJson.Serialize(original);

        ScenarioDefinition parsed = ScenarioJson.Parse(json);

        Assert.Equivalent(original, parsed, strict: true);
        Assert.Equal(json, ScenarioJson.Serialize(parsed));
        Assert.Equal(10, parsed.Faults.Select(f => f.Fault.GetType()).Distinct().Count());
        Assert.Equal(3, parsed.Faults.Count(f => f.Duration is null));
    }

    [Fact]
    public void Json_names_fault_kinds_and_writes_times_as_text()
    {
        string json = ScenarioJson.Serialize(Everything());

        Assert.Contains("\"kind\": \"nicFailure\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"clockDrift\"", json, StringComparison.Ordinal);
        Assert.Contains("\"duration\": \"00:00:09.5000000\"", json, StringComparison.Ordinal);
        Assert.Contains("\"at\": \"00:00:02\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimal_hand_written_scenario_gets_the_documented_defaults()
    {
        // Only what has no default: the topology. Everything else is left out, as a person writing a file would.
        const string json = """
            {
              "seed": 9,
              "lans": [ { "name": "lan" } ],
              "switches": [ { "name": "switch", "lan": "lan" } ],
              "nodes": [
                { "id": 1, "role": "Application", "nics": [ { "pathId": 1, "switch": "switch" } ] },
                { "id": 2, "role": "Application", "nics": [ { "pathId": 1, "switch": "switch" } ] }
              ]
            }
            """;

        ScenarioDefinition parsed = ScenarioJson.Parse(json);

        ScenarioDefinition built = Scenario.Create(9).SingleLan(2).Build();
        Assert.Equal(TimeSpan.FromSeconds(60), parsed.Duration);
        Assert.Equal(AgentProfile.Default, parsed.Agent);
        Assert.True(parsed.RecordFrames);
        Assert.Equal(2, parsed.PeerDegree);
        Assert.Empty(parsed.Faults);
        Assert.Empty(parsed.Wans);
        Assert.All(parsed.Nodes, n => Assert.Empty(n.Capabilities));
        Assert.Equal(ScenarioJson.Serialize(built), ScenarioJson.Serialize(parsed));
    }

    [Fact]
    public void An_agent_profile_that_sets_some_settings_keeps_the_defaults_of_the_others()
    {
        string json = ScenarioJson.Serialize(Scenario.Create(1).SingleLan(2).Build())
            .Replace("\"missedHeartbeats\": 3,", "", StringComparison.Ordinal)
            .Replace("\"heartbeatInterval\": \"00:00:00.1000000\",", "\"heartbeatInterval\": \"00:00:00.0200000\",", StringComparison.Ordinal);

        ScenarioDefinition parsed = ScenarioJson.Parse(json);

        Assert.Equal(AgentProfile.Default with { HeartbeatInterval = TimeSpan.FromMilliseconds(20) }, parsed.Agent);
    }
}
