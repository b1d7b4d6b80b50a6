using System.Security.Cryptography;
using System.Text;
using Failover.Sdk.Configuration;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// <c>digest</c>: runs a few fault-heavy scenarios with every frame journaled and prints,
/// for each, the events fired and a SHA-256 of the journal's JSON lines. A change made
/// for speed must leave every line as it was: run it before and after, and compare.
/// </summary>
internal static class JournalDigest
{
    public static int Run()
    {
        (string Name, ScenarioDefinition Definition)[] scenarios =
        [
            ("two sites, random faults", Scenario.Create(seed: 11)
                .TwoSites(nodesPerSite: 3)
                .RandomFaults(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(4))
                .Lasting(TimeSpan.FromSeconds(30))
                .Build()),
            ("ring, fast, lossy, random faults", Scenario.Create(seed: 12)
                .SingleLan(12, LinkProfile.Lan with { Loss = 0.02, Duplication = 0.01, Reordering = 0.02, Jitter = TimeSpan.FromMilliseconds(2) })
                .Ring(3)
                .Agent(AgentProfile.Fast)
                .RandomFaults(60, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(2))
                .Lasting(TimeSpan.FromSeconds(20))
                .Build()),
            ("full mesh, phi accrual, rise 2, random faults", Scenario.Create(seed: 13)
                .SingleLan(6)
                .Agent(AgentProfile.Default with { Detector = FailoverDetectorKind.PhiAccrual, RiseCount = 2 })
                .RandomFaults(30, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(6))
                .Lasting(TimeSpan.FromSeconds(60))
                .Build()),
        ];

        foreach ((string name, ScenarioDefinition definition) in scenarios)
        {
            using var simulation = new Simulation.Simulation(definition);
            string lines = simulation.Run().ToJsonLines();
            string digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(lines)));
            Console.WriteLine($"{name}: {simulation.Time.EventsRun:N0} events, {simulation.Journal.Count:N0} journal entries, sha256 {digest}");
        }

        return 0;
    }
}
