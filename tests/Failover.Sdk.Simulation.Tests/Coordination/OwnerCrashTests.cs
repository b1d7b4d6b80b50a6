using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>The owner's node crashes for good: its lease runs out in the store and the other candidate takes the workload over, with a larger token.</summary>
public sealed class OwnerCrashTests
{
    private static readonly TimeSpan CrashAt = Seconds(5);

    [Fact]
    public void A_crash_of_the_owner_moves_the_workload_after_about_one_lease_life_with_a_higher_token()
    {
        ScenarioDefinition scenario = ThreeNodes(seed: 21).CrashNode(Preferred, CrashAt).Lasting(Seconds(12)).Build();
        using var simulation = new Simulation(scenario);

        SimulationJournal journal = simulation.Run();

        OwnershipAcquired first = Assert.Single(journal.Acquisitions(Preferred));
        Assert.True(first.At < Seconds(1), $"node {Preferred} took the workload only at {first.At}");
        OwnershipEnded crashed = Assert.Single(journal.Endings(Preferred));
        Assert.Equal((CrashAt, first.Token, "its node crashed"), (crashed.At, crashed.Token, crashed.Reason));

        // The store drops the ownership one lease life after the last renewal it received, which
        // came at most a renewal interval (plus its trip) before the crash; the other node then
        // needs a notification, a read and a claim: a few LAN crossings.
        OwnershipAcquired takeover = Assert.Single(journal.Acquisitions(Other));
        Assert.True(takeover.Token > first.Token);
        Assert.InRange(takeover.At - CrashAt, Lease - RenewInterval - TimeSpan.FromMilliseconds(5), Lease + TimeSpan.FromMilliseconds(5));
        Assert.Equal(Other, simulation.Ownership!.OwnerOf(Workload)!.NodeId);
        Assert.Equal(takeover.Token, simulation.Ownership.Resource(Workload).Newest);
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }

    [Fact]
    public void A_process_crash_is_no_graceful_stop_the_store_hears_nothing_and_the_lease_runs_out()
    {
        ScenarioDefinition scenario = ThreeNodes(seed: 22).CrashProcess(Preferred, CrashAt).Lasting(Seconds(12)).Build();
        using var simulation = new Simulation(scenario);

        SimulationJournal journal = simulation.Run();

        OwnershipEnded crashed = Assert.Single(journal.Endings(Preferred));
        Assert.Equal((CrashAt, "its process crashed"), (crashed.At, crashed.Reason));
        // Released gracefully the workload would move within a LAN round trip; it waits for the lease instead.
        OwnershipAcquired takeover = Assert.Single(journal.Acquisitions(Other));
        Assert.True(takeover.At - CrashAt > Lease - RenewInterval - TimeSpan.FromMilliseconds(5), $"taken over {takeover.At - CrashAt} after the crash");
        Assert.Null(simulation.Coordinator(Preferred));
        simulation.AssertNoViolations();
    }
}
