using Failover.Sdk.Configuration;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Demo;

/// <summary>The scenario the demo runs when no file is given.</summary>
internal static class DemoScenario
{
    /// <summary>The workload that must run on exactly one node.</summary>
    public const string Workload = "report-generator";

    /// <summary>
    /// Four nodes on two sites (two LANs, a switch per path on each, two WAN links). A NIC
    /// fails and is repaired; a node crashes and boots again; the sites are partitioned
    /// and the partition heals. The coordination store runs on node 1 (the manager), and
    /// <see cref="Workload"/> runs on node 3 or node 4, node 3 preferred: its crash moves the
    /// workload to node 4, and the partition cuts both off the store.
    /// </summary>
    public static ScenarioDefinition Build(ulong seed, FailoverDetectorKind detector, double phiThreshold)
    {
        TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
        return Scenario.Create(seed)
            .TwoSites(nodesPerSite: 2)
            .Agent(AgentProfile.Default with { Detector = detector, PhiThreshold = phiThreshold })
            .WithCoordination(new CoordinationDefinition { CampaignStagger = TimeSpan.FromMilliseconds(200) })
            .Workload(Workload, 3, 4)
            .FailNic(node: 2, path: 1, at: S(5), lasting: S(10))
            .CrashNode(node: 3, at: S(20), lasting: S(8))
            .Partition(at: S(40), lasting: S(10), [1, 2], [3, 4])
            .Lasting(S(60))
            .Build();
    }
}
