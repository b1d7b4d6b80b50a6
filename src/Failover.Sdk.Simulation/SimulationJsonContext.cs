using System.Text.Json.Serialization;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation;

/// <summary>
/// The source-generated JSON contract of scenarios and journals: camelCase, enums by name,
/// no reflection (the package is AOT-compatible), and unknown or repeated properties
/// rejected so a typo in a scenario file is an error rather than a silently different run.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowOutOfOrderMetadataProperties = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ScenarioDefinition))]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;
