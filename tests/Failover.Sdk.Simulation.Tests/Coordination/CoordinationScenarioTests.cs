using System.Text.Json.Nodes;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>Coordination in a scenario: built fluently or written as JSON, round-tripped, defaulted, validated with errors that name the field; absent, it costs nothing.</summary>
public sealed class CoordinationScenarioTests
{
    private static ScenarioDefinition Everything() => Scenario.Create(seed: 71)
        .TwoSites(2)
        .WithCoordination(new CoordinationDefinition
        {
            StoreNode = 2,
            LeaseTimeToLive = Seconds(3),
            LeaseSafetyMargin = TimeSpan.FromMilliseconds(700),
            LeaseRenewInterval = TimeSpan.FromMilliseconds(450),
            RequestTimeout = TimeSpan.FromMilliseconds(250),
            WriteInterval = TimeSpan.FromMilliseconds(50),
            CampaignStagger = TimeSpan.FromMilliseconds(200),
            Workloads = [new WorkloadDefinition("report-generator", [3, 4])],
        })
        .Workload("billing:nightly.v2")
        .Lasting(Seconds(5))
        .Build();

    /// <summary>A valid coordinated scenario as JSON, to break one thing at a time.</summary>
    private static JsonObject Valid() => JsonNode.Parse(ScenarioJson.Serialize(Everything()))!.AsObject();

    private static JsonObject Coordination(JsonObject scenario) => scenario["coordination"]!.AsObject();

    [Fact]
    public void Json_round_trips_every_coordination_setting()
    {
        ScenarioDefinition original = Everything();
        string json = ScenarioJson.Serialize(original);

        ScenarioDefinition parsed = ScenarioJson.Parse(json);

        Assert.Equivalent(original, parsed, strict: true);
        Assert.Equal(json, ScenarioJson.Serialize(parsed));
        Assert.Equal(["report-generator", "billing:nightly.v2"], parsed.Coordination!.Workloads.Select(w => w.Id));
        Assert.Null(parsed.Coordination.Workloads[1].Candidates);
    }

    [Fact]
    public void A_file_that_names_only_a_workload_gets_the_simulators_defaults_and_runs_it()
    {
        string json = """
            {
              "seed": 5,
              "duration": "00:00:03",
              "lans": [ { "name": "lan" } ],
              "switches": [ { "name": "sw", "lan": "lan" } ],
              "nodes": [
                { "id": 1, "role": "Manager", "nics": [ { "pathId": 1, "switch": "sw" } ] },
                { "id": 2, "role": "Application", "nics": [ { "pathId": 1, "switch": "sw" } ] }
              ],
              "coordination": { "workloads": [ { "id": "w" } ] }
            }
            """;

        ScenarioDefinition parsed = ScenarioJson.Parse(json);

        Assert.Equivalent(new CoordinationDefinition { Workloads = [new WorkloadDefinition("w")] }, parsed.Coordination, strict: true);
        Assert.Equal((Seconds(2), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500)), (parsed.Coordination!.LeaseTimeToLive, parsed.Coordination.LeaseSafetyMargin, parsed.Coordination.RequestTimeout));
        using var simulation = new Simulation(parsed);
        SimulationJournal journal = simulation.Run();
        Assert.Equal(2u, Assert.Single(journal.OfType<OwnershipAcquired>()).Node); // the one application node
    }

    [Fact]
    public void A_scenario_without_coordination_writes_no_coordination_and_runs_no_store_or_coordinator()
    {
        ScenarioDefinition scenario = Scenario.Create(seed: 72).TwoSites(2).CrashNode(3, Seconds(1), Seconds(1)).Lasting(Seconds(3)).Build();

        Assert.Null(scenario.Coordination);
        Assert.DoesNotContain("coordination", ScenarioJson.Serialize(scenario), StringComparison.Ordinal);
        using var simulation = new Simulation(scenario);
        SimulationJournal journal = simulation.Run();
        Assert.Null(simulation.Ownership);
        Assert.All(scenario.Nodes, n => Assert.Null(simulation.Coordinator(n.Id)));
        Assert.DoesNotContain(journal, e => e is OwnershipAcquired or OwnershipEnded or LeaseLost or FencedWriteRefused);
    }

    [Fact]
    public void Workload_turns_coordination_on_with_its_defaults_and_adds_to_the_settings_workloads()
    {
        ScenarioDefinition implicitly = Scenario.Create(seed: 73).SingleLan(2).Workload("w").Build();
        Assert.Equivalent(new CoordinationDefinition { Workloads = [new WorkloadDefinition("w")] }, implicitly.Coordination, strict: true);

        ScenarioDefinition both = Scenario.Create(seed: 73).SingleLan(2)
            .Workload("b", 2, 1)
            .WithCoordination(new CoordinationDefinition { Workloads = [new WorkloadDefinition("a")] })
            .Build();
        Assert.Equal([("a", (IReadOnlyList<uint>?)null), ("b", [2u, 1u])], both.Coordination!.Workloads.Select(w => (w.Id, w.Candidates)));
    }

    public static TheoryData<string, string, string> Mistakes() => new()
    {
        { "storeNode", "9", "Coordination.StoreNode is 9, but there is no such node" },
        { "leaseTimeToLive", "\"00:00:00.0500000\"", "Coordination.LeaseTimeToLive is 00:00:00.0500000; it must be between 100 ms and 1 h" },
        { "leaseSafetyMargin", "\"00:00:01.5000000\"", "Coordination.LeaseSafetyMargin is 00:00:01.5000000; it must be above zero and below half of LeaseTimeToLive" },
        { "leaseRenewInterval", "\"00:00:02\"", "Coordination.LeaseRenewInterval is 00:00:02; it must be between 1 ms and half of LeaseTimeToLive - LeaseSafetyMargin" },
        { "requestTimeout", "\"00:00:00\"", "Coordination.RequestTimeout is 00:00:00; it must be between 1 ms and 1 h" },
        { "writeInterval", "\"00:00:00\"", "Coordination.WriteInterval is 00:00:00" },
        { "campaignStagger", "\"-00:00:01\"", "Coordination.CampaignStagger is -00:00:01" },
        { "workloads", "null", "Coordination.Workloads is null" },
        { "workloads", "[ null ]", "Coordination.Workloads[0] is null" },
        { "workloads", "[ { \"id\": \"two words\" } ]", "Coordination.Workloads[0].Id: Workload id 'two words' contains ' '" },
        { "workloads", "[ { \"id\": \"\" } ]", "Coordination.Workloads[0].Id: Workload id '' has 0 characters" },
        { "workloads", "[ { \"id\": \"w\" }, { \"id\": \"w\" } ]", "Coordination.Workloads[1]: the workload id 'w' appears twice" },
        { "workloads", "[ { \"id\": \"w\", \"candidates\": [ 3, 9 ] } ]", "Coordination.Workloads[0].Candidates names node 9, which the scenario does not have" },
        { "workloads", "[ { \"id\": \"w\", \"candidates\": [ 3, 3 ] } ]", "Coordination.Workloads[0].Candidates names node 3 twice" },
        { "workloads", "[ { \"id\": \"w\", \"candidates\": [] } ]", "Coordination.Workloads[0].Candidates is empty" },
        { "leaseTtl", "\"00:00:02\"", "$.coordination" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_bad_coordination_setting_is_a_scenario_error_naming_it(string property, string value, string message)
    {
        JsonObject json = Valid();
        Coordination(json)[property] = JsonNode.Parse(value);

        ScenarioException error = Assert.Throws<ScenarioException>(() => ScenarioJson.Parse(json.ToJsonString()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_validates_too()
    {
        ScenarioException error = Assert.Throws<ScenarioException>(() => Scenario.Create(seed: 74).SingleLan(2).Workload("w", 7).Build());
        Assert.Contains("Coordination.Workloads[0].Candidates names node 7", error.Message, StringComparison.Ordinal);
    }
}
