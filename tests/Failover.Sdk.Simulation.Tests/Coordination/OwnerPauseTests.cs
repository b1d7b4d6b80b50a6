using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>
/// The owner's whole machine stalls for longer than its lease (a long GC, a frozen VM): the other
/// candidate takes over; when the stalled node resumes, still believing it owns the workload, the
/// fenced resource refuses its write and it stops.
/// </summary>
public sealed class OwnerPauseTests
{
    private static readonly TimeSpan PauseAt = Seconds(5);
    private static readonly TimeSpan Pause = Seconds(5);
    private static readonly TimeSpan ResumeAt = PauseAt + Pause;

    [Fact]
    public void The_pause_outlasts_the_lease()
    {
        Assert.True(Pause > 2 * Lease);
    }

    [Fact]
    public void The_other_node_takes_over_and_the_resumed_owners_write_is_refused_before_it_stops()
    {
        ScenarioDefinition scenario = ThreeNodes(seed: 41).PauseNode(Preferred, PauseAt, Pause).Lasting(ResumeAt + (3 * Lease)).Build();
        using var simulation = new Simulation(scenario);

        simulation.RunUntil(ResumeAt - TimeSpan.FromTicks(1));
        OwnershipAcquired first = Assert.Single(simulation.Journal.Acquisitions(Preferred));
        OwnershipAcquired takeover = Assert.Single(simulation.Journal.Acquisitions(Other));
        Assert.InRange(takeover.At - PauseAt, Lease - RenewInterval - TimeSpan.FromMilliseconds(5), Lease + TimeSpan.FromMilliseconds(5));
        // Frozen, the paused node still holds its term object, but by its own clock it is no longer valid.
        Assert.NotNull(simulation.Coordinator(Preferred)!.GetTerm(Workload));
        Assert.False(simulation.Coordinator(Preferred)!.GetTerm(Workload)!.IsValid);
        Assert.Equal([Other], simulation.Ownership!.ValidHolders(Workload));

        SimulationJournal journal = simulation.Run();

        // On resume its workload's timer fires first (it came due first): the write is refused,
        // as the resource has seen the new owner's larger token; then its lease's deadline ends the term.
        FencedWriteRefused refused = Assert.Single(journal.OfType<FencedWriteRefused>());
        Assert.Equal((ResumeAt, Preferred, first.Token, takeover.Token), (refused.At, refused.Node, refused.Token, refused.Newest));
        OwnershipEnded stopped = Assert.Single(journal.Endings(Preferred));
        Assert.Equal(ResumeAt, stopped.At);
        Assert.Null(simulation.Coordinator(Preferred)!.GetTerm(Workload));
        Assert.Equal(1, simulation.Ownership.WritesRefused);
        simulation.AssertNoViolations();
        simulation.AssertSettled();
        Assert.Equal(Other, simulation.Ownership.OwnerOf(Workload)!.NodeId);
    }

    [Fact]
    public void A_hung_owner_process_is_fenced_the_same_way()
    {
        ScenarioDefinition scenario = ThreeNodes(seed: 42).HangProcess(Preferred, PauseAt, Pause).Lasting(ResumeAt + (3 * Lease)).Build();
        using var simulation = new Simulation(scenario);

        SimulationJournal journal = simulation.Run();

        FencedWriteRefused refused = Assert.Single(journal.OfType<FencedWriteRefused>());
        Assert.Equal((ResumeAt, Preferred), (refused.At, refused.Node));
        Assert.Single(journal.Acquisitions(Other));
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }
}
