using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Support;

/// <summary>What a failing simulation test prints so the run can be replayed exactly.</summary>
internal static class Replay
{
    /// <summary>The seed and the scenario as JSON: <c>new Simulation(ScenarioJson.Parse(json)).Run()</c> gives the same journal.</summary>
    public static string Describe(ScenarioDefinition definition) =>
        $"Seed {definition.Seed}. Replay: new Simulation(ScenarioJson.Parse(json)).Run(), with json:{Environment.NewLine}{ScenarioJson.Serialize(definition)}";
}
