using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>
/// Writes into scenario JSON the settings it leaves out, with their documented defaults.
/// </summary>
/// <remarks>
/// The source-generated deserializer gives an init-only property that the text omits
/// <c>default</c> rather than its initializer (dotnet/runtime#84484): without this a file
/// that leaves out <c>duration</c>, <c>agent</c> or <c>recordFrames</c> would run for zero
/// seconds, without an agent profile, or without frames in its journal (and a <c>coordination</c>
/// object without <c>leaseTimeToLive</c> would hold zero-length leases). The defaults are
/// read off default instances, so a setting added later is covered without a change here.
/// </remarks>
internal static class ScenarioDefaults
{
    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly JsonObject Definition = Serialize(new ScenarioDefinition(), SimulationJsonContext.Default.ScenarioDefinition);

    private static readonly JsonObject Agent = Serialize(AgentProfile.Default, SimulationJsonContext.Default.AgentProfile);

    private static readonly JsonObject Node = Serialize(new NodeDefinition(0, default, []), SimulationJsonContext.Default.NodeDefinition);

    private static readonly JsonObject Coordination = Serialize(new CoordinationDefinition(), SimulationJsonContext.Default.CoordinationDefinition);

    /// <summary>The scenario in <paramref name="json"/> (already known to deserialize) with every omitted setting written in.</summary>
    public static JsonNode Fill(string json)
    {
        JsonNode? root = JsonNode.Parse(json, documentOptions: Reading);
        if (root is JsonObject scenario)
        {
            Merge(scenario, Definition);
            if (scenario["agent"] is JsonObject agent)
            {
                Merge(agent, Agent);
            }

            if (scenario["coordination"] is JsonObject coordination)
            {
                Merge(coordination, Coordination);
            }

            if (scenario["nodes"] is JsonArray nodes)
            {
                foreach (JsonObject node in nodes.OfType<JsonObject>())
                {
                    Merge(node, Node);
                }
            }
        }

        return root!;
    }

    private static void Merge(JsonObject target, JsonObject defaults)
    {
        foreach ((string name, JsonNode? value) in defaults)
        {
            if (!target.ContainsKey(name))
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static JsonObject Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.SerializeToNode(value, type)!.AsObject();
}
