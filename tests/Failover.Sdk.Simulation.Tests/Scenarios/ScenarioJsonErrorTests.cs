using System.Text.Json.Nodes;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Scenarios;

/// <summary>Bad scenario JSON fails with a <see cref="ScenarioException"/> whose message names the mistake and where it is.</summary>
public sealed class ScenarioJsonErrorTests
{
    /// <summary>A valid scenario (4 nodes, two sites, a partition) to break one thing at a time.</summary>
    private static JsonObject Valid() => JsonNode.Parse(ScenarioJson.Serialize(
        Scenario.Create(3)
            .TwoSites(nodesPerSite: 2)
            .Partition(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), [1, 2], [3, 4])
            .Lasting(TimeSpan.FromSeconds(5))
            .Build()))!.AsObject();

    private static ScenarioException Rejects(JsonObject json) => Rejects(json.ToJsonString());

    private static ScenarioException Rejects(string json) => Assert.Throws<ScenarioException>(() => ScenarioJson.Parse(json));

    [Fact]
    public void The_valid_base_parses()
    {
        Assert.Equal(4, ScenarioJson.Parse(Valid().ToJsonString()).Nodes.Count);
    }

    [Fact]
    public void An_unknown_property_is_named_with_its_path()
    {
        JsonObject json = Valid();
        json["agent"]!["heartbeatIntervall"] = "00:00:01";

        ScenarioException error = Rejects(json);

        Assert.Contains("heartbeatIntervall", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.agent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_property_is_named_rather_than_the_last_one_silently_winning()
    {
        string json = Valid().ToJsonString().Replace("\"seed\":3,", "\"seed\":3,\"seed\":4,", StringComparison.Ordinal);

        ScenarioException error = Rejects(json);

        Assert.Contains("'seed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_fault_kind_is_named_with_its_path()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["fault"]!["kind"] = "nodeMelt";

        ScenarioException error = Rejects(json);

        Assert.Contains("'nodeMelt'", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.faults[0].fault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_without_a_kind_is_rejected_with_its_path()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["fault"]!.AsObject().Remove("kind");

        ScenarioException error = Rejects(json);

        Assert.Contains("type discriminator", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.faults[0].fault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nic_on_a_missing_switch_names_the_node_the_path_and_the_switch()
    {
        JsonObject json = Valid();
        json["nodes"]![2]!["nics"]![1]!["switch"] = "c9";

        ScenarioException error = Rejects(json);

        Assert.Equal("Node 3's NIC on path 2 is cabled to switch 'c9', which the scenario does not define.", error.Message);
    }

    [Fact]
    public void A_partition_with_a_node_twice_names_the_node()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["fault"]!["groups"] = new JsonArray(new JsonArray(1, 2), new JsonArray(3, 2));

        ScenarioException error = Rejects(json);

        Assert.Equal("Faults[0]: node 2 is in two groups of the partition.", error.Message);
    }

    [Fact]
    public void A_partition_with_one_group_is_rejected()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["fault"]!["groups"] = new JsonArray(new JsonArray(1, 2, 3, 4));

        Assert.Equal("Faults[0]: a partition needs at least two groups.", Rejects(json).Message);
    }

    [Theory]
    [InlineData("-00:00:05", "Duration is -00:00:05; it must be positive.")]
    [InlineData("00:00:00", "Duration is 00:00:00; it must be positive.")]
    public void A_run_duration_that_is_not_positive_is_rejected(string duration, string message)
    {
        JsonObject json = Valid();
        json["duration"] = duration;

        Assert.Equal(message, Rejects(json).Message);
    }

    [Fact]
    public void A_negative_fault_duration_is_rejected()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["duration"] = "-00:00:01";

        Assert.Equal("Faults[0] lasts -00:00:01; a duration must be positive (leave it out for a permanent fault).", Rejects(json).Message);
    }

    [Fact]
    public void A_negative_fault_instant_is_rejected()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["at"] = "-00:00:01";

        Assert.Equal("Faults[0] is at -00:00:01; it must not be negative.", Rejects(json).Message);
    }

    [Fact]
    public void A_fault_on_a_missing_node_names_the_fault_and_the_node()
    {
        JsonObject json = Valid();
        json["faults"]!.AsArray().Add(JsonNode.Parse("""{ "at": "00:00:02", "fault": { "kind": "processHang", "node": 9 } }"""));

        Assert.Equal("Faults[1]: process on node 9 hangs, but there is no node 9.", Rejects(json).Message);
    }

    [Fact]
    public void Malformed_json_gives_the_line_of_the_mistake()
    {
        const string json = "{\n  \"seed\": 1,\n  \"duration\": \"00:00:05\"\n  \"nodes\": []\n}";

        ScenarioException error = Rejects(json);

        Assert.Contains("(line 4)", error.Message, StringComparison.Ordinal);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public void A_value_of_the_wrong_type_gives_its_path_and_line()
    {
        string json = ScenarioJson.Serialize(ScenarioJson.Parse(Valid().ToJsonString()))
            .Replace("\"missedHeartbeats\": 3", "\"missedHeartbeats\": \"three\"", StringComparison.Ordinal);
        int line = json[..json.IndexOf("three", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        ScenarioException error = Rejects(json);

        Assert.Contains("$.agent.missedHeartbeats", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(line {line})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{ \"seed\": 1, ")]
    public void Text_that_is_not_a_scenario_object_is_rejected(string json)
    {
        Assert.StartsWith("The scenario JSON ", Rejects(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4, "PeerDegree is 0; with 4 nodes in a ring it must be between 1 and 3.")]
    [InlineData(4, 4, "PeerDegree is 4; with 4 nodes in a ring it must be between 1 and 3.")]
    [InlineData(-1, 4, "PeerDegree is -1; with 4 nodes in a ring it must be between 1 and 3.")]
    [InlineData(3, 5, "PeerDegree 3 is odd, which needs an even number of nodes (there are 5) so the opposite node is mutual.")]
    public void Ring_degrees_that_cannot_form_a_ring_are_rejected(int degree, int nodes, string message)
    {
        JsonObject json = JsonNode.Parse(ScenarioJson.Serialize(Scenario.Create(1).SingleLan(nodes).Build()))!.AsObject();
        json["peers"] = "Ring";
        json["peerDegree"] = degree;

        Assert.Equal(message, Rejects(json).Message);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(2, 5)]
    [InlineData(4, 5)]
    public void Ring_degrees_that_form_a_ring_are_accepted(int degree, int nodes)
    {
        JsonObject json = JsonNode.Parse(ScenarioJson.Serialize(Scenario.Create(1).SingleLan(nodes).Build()))!.AsObject();
        json["peers"] = "Ring";
        json["peerDegree"] = degree;

        Assert.Equal(degree, ScenarioJson.Parse(json.ToJsonString()).PeerDegree);
    }

    [Theory]
    [InlineData("nodes")]
    [InlineData("lans")]
    [InlineData("switches")]
    [InlineData("wans")]
    [InlineData("faults")]
    public void A_list_given_as_null_is_named(string list)
    {
        JsonObject json = Valid();
        json[list] = null;

        ScenarioException error = Rejects(json);

        Assert.Contains(list, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_null_partition_group_is_named()
    {
        JsonObject json = Valid();
        json["faults"]![0]!["fault"]!["groups"] = new JsonArray(new JsonArray(1, 2), null);

        Assert.Contains("Faults[0]", Rejects(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_node_is_named()
    {
        JsonObject json = Valid();
        json["nodes"]![1] = null;

        Assert.Contains("Nodes[1]", Rejects(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_profile_out_of_range_names_its_owner()
    {
        JsonObject json = Valid();
        json["wans"]![1]!["link"] = JsonNode.Parse("""{ "latency": "00:00:00.020", "loss": 1.5 }""");

        Assert.Equal("WAN link 'wan-2': Loss is 1.5; a probability must be between 0 and 1.", Rejects(json).Message);
    }
}
