using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Scenarios;

/// <summary>The scenario JSON shown in docs/simulator.md parses and runs, so the documentation stays true.</summary>
public sealed class DocsExampleTests
{
    [Fact]
    public void The_documented_scenario_json_parses_and_its_hang_is_noticed()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "simulator.md"));
        int start = doc.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        string json = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        ScenarioDefinition scenario = ScenarioJson.Parse(json);
        using var simulation = new Simulation(scenario);
        SimulationJournal journal = simulation.Run();

        Assert.Equal(NodeKind.Storage, scenario.Nodes.Single(n => n.Id == 2).Kind);
        Assert.Equal(new ProcessHang(2), Assert.Single(scenario.Faults).Fault);
        Assert.Contains(journal, e => e is PeerSuspected { Observer: 1, Peer: 2 });
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Failover.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Failover.Sdk.sln above {AppContext.BaseDirectory}.");
    }
}
