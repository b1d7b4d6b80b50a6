using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>The store's machine: its crash stops every owner until it boots; its agent's crash is not the store's.</summary>
public sealed class StoreHostTests
{
    private static readonly TimeSpan FaultAt = Seconds(5);
    private static readonly TimeSpan Down = Seconds(5);
    private static readonly TimeSpan BootAt = FaultAt + Down;

    /// <summary>Two workloads, one preferring node 2 and one node 3, so both non-store nodes own one.</summary>
    private static Scenario TwoWorkloads(ulong seed) => ThreeNodes(seed).Workload("v", Other, Preferred);

    [Fact]
    public void A_crash_of_the_stores_node_stops_every_owner_and_after_it_boots_each_workload_has_one_owner_again()
    {
        ScenarioDefinition scenario = TwoWorkloads(seed: 61).CrashNode(StoreNode, FaultAt, Down).Lasting(BootAt + (4 * Lease)).Build();
        using var simulation = new Simulation(scenario);

        simulation.RunUntil(BootAt);
        SimulationJournal journal = simulation.Journal;
        Assert.Equal([(Preferred, Workload), (Other, "v")], journal.Acquisitions().Select(a => (a.Node, a.Workload)));
        // Nobody can renew: each owner stops when its lease's safe life runs out, nobody takes over.
        OwnershipEnded[] stopped = journal.Endings();
        Assert.Equal([(Preferred, Workload), (Other, "v")], stopped.Select(e => (e.Node, e.Workload)).Order());
        Assert.All(stopped, e => Assert.InRange(e.At - FaultAt, Lease - Margin - RenewInterval, Lease - Margin));
        Assert.All(stopped, e => Assert.Contains("it was not renewed before its safe life ran out", e.Reason, StringComparison.Ordinal));
        Assert.Empty(simulation.Ownership!.ValidHolders(Workload));
        Assert.Empty(simulation.Ownership.ValidHolders("v"));

        simulation.Run();

        // The store kept its state (etcd persists); the old leases expired meanwhile, so both
        // workloads are taken again, under larger tokens.
        Assert.Equal(2, simulation.Journal.Acquisitions().Count(a => a.At > BootAt));
        Assert.All(simulation.Journal.Acquisitions().Where(a => a.At > BootAt), a => Assert.True(a.Token > journal.Acquisitions().Where(b => b.At < BootAt).Max(b => b.Token)));
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }

    [Fact]
    public void A_watch_opened_while_the_stores_node_is_down_fails_instead_of_waiting_forever()
    {
        ScenarioDefinition scenario = TwoWorkloads(seed: 63).CrashNode(StoreNode, FaultAt, Down).Lasting(BootAt + Lease).Build();
        using var simulation = new Simulation(scenario);
        simulation.RunUntil(FaultAt + Seconds(1));
        Failover.Sdk.Coordination.ICoordinationStore store = simulation.Coordinator(Other)!.Store;

        // The request crosses the network to a machine that is down: a real etcd's would be
        // refused, so the watch must fail, not hang (which would leave a term to its lease alone).
        IAsyncEnumerator<Failover.Sdk.Coordination.CoordinationEvent> watch = store.WatchAsync(0).GetAsyncEnumerator();
        Task<bool> next = watch.MoveNextAsync().AsTask();
        simulation.RunUntil(FaultAt + Seconds(2));

        Assert.True(next.IsFaulted, $"the watch is {next.Status}");
        Assert.IsType<Failover.Sdk.Coordination.CoordinationUnavailableException>(next.Exception!.InnerException);
        Assert.Contains($"node {StoreNode} is down", next.Exception.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_store_outlives_a_crash_of_its_nodes_agent_process()
    {
        ScenarioDefinition scenario = TwoWorkloads(seed: 62).CrashProcess(StoreNode, FaultAt, Down).Lasting(BootAt + (2 * Lease)).Build();
        using var simulation = new Simulation(scenario);

        SimulationJournal journal = simulation.Run();

        // The owners elsewhere keep renewing with the store, which is a process of its own.
        Assert.Equal(2, journal.Acquisitions().Length);
        Assert.Empty(journal.Endings());
        Assert.Empty(journal.OfType<LeaseLost>());
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }

    [Fact]
    public void The_store_runs_on_the_first_manager_unless_the_scenario_names_a_node()
    {
        ScenarioDefinition twoSites = Scenario.Create(seed: 63).TwoSites(2).Workload(Workload).Build();
        Assert.Equal(1u, Failover.Sdk.Simulation.Coordination.CoordinationCluster.StoreHost(twoSites.Coordination!, twoSites.Nodes));
        ScenarioDefinition named = Scenario.Create(seed: 63).TwoSites(2).WithCoordination(new CoordinationDefinition { StoreNode = 4 }).Build();
        Assert.Equal(4u, Failover.Sdk.Simulation.Coordination.CoordinationCluster.StoreHost(named.Coordination!, named.Nodes));
        ScenarioDefinition noManager = Scenario.Create(seed: 63).SingleLan(3).WithCoordination().Build();
        Assert.Equal(1u, Failover.Sdk.Simulation.Coordination.CoordinationCluster.StoreHost(noManager.Coordination!, noManager.Nodes));

        // With no candidates named, every application node campaigns: in TwoSites that is node 3.
        Assert.Equal([3u], Failover.Sdk.Simulation.Coordination.CoordinationCluster.CandidatesOf(twoSites.Coordination!.Workloads[0], twoSites.Nodes));
    }
}
