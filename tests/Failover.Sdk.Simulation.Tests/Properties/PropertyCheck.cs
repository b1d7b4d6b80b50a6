using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>Fails a property run with what went wrong, the seed and the scenario's JSON, so the one failing run can be replayed on its own.</summary>
internal static class PropertyCheck
{
    public static void That(bool condition, ScenarioDefinition definition, Func<string> what)
    {
        if (!condition)
        {
            Assert.Fail($"{what()}{Environment.NewLine}{Replay.Describe(definition)}");
        }
    }
}
