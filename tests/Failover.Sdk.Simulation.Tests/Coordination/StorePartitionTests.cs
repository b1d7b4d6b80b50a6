using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>A partition cuts the owner off the store: it stops by its own clock before the store lets the other side take over.</summary>
public sealed class StorePartitionTests
{
    private static readonly TimeSpan CutAt = Seconds(5);
    private static readonly TimeSpan Cut = Seconds(6);

    private static ScenarioDefinition Build() => ThreeNodes(seed: 31)
        .Partition(CutAt, Cut, [Preferred], [StoreNode, Other])
        .Lasting(CutAt + Cut + (4 * Lease))
        .Build();

    [Fact]
    public void The_cut_off_owner_stops_at_least_a_safety_margin_before_the_other_side_acquires()
    {
        using var simulation = new Simulation(Build());
        simulation.RunUntil(CutAt + Cut);
        SimulationJournal journal = simulation.Journal;

        OwnershipAcquired first = Assert.Single(journal.Acquisitions(Preferred));
        OwnershipEnded stopped = Assert.Single(journal.Endings(Preferred));
        LeaseLost lost = Assert.Single(journal.OfType<LeaseLost>(), l => l.Node == Preferred);
        OwnershipAcquired takeover = Assert.Single(journal.Acquisitions(Other));

        // The owner's lease lapses by its own clock: its last confirmed renewal was sent before the cut.
        Assert.Equal(lost.At, stopped.At);
        Assert.StartsWith($"lease {lost.LeaseId} ended: it was not renewed before its safe life ran out", stopped.Reason, StringComparison.Ordinal);
        Assert.InRange(stopped.At - CutAt, Lease - Margin - RenewInterval, Lease - Margin);

        // The store counts the same lease from when it received that renewal, so the other side
        // can only take over a safety margin (at least) after the owner stopped.
        Assert.True(takeover.At - stopped.At >= Margin, $"node {Preferred} stopped at {stopped.At}, node {Other} took over at {takeover.At}");
        Assert.True(takeover.Token > first.Token);
        simulation.AssertNoViolations();
    }

    [Fact]
    public void After_the_partition_heals_the_workload_has_exactly_one_owner()
    {
        using var simulation = new Simulation(Build());
        SimulationJournal journal = simulation.Run();

        simulation.AssertNoViolations();
        simulation.AssertSettled();
        Assert.Equal(Other, simulation.Ownership!.OwnerOf(Workload)!.NodeId);
        // The healed node campaigns again but finds the workload owned: no term after the heal.
        Assert.DoesNotContain(journal.Acquisitions(Preferred), a => a.At > CutAt);
        Assert.True(simulation.Ownership.WritesAccepted > 0);
    }
}
