using Failover.Sdk.Simulation.Journal;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>
/// A node stalls while the answer to its claim is on the way, for longer than its lease: when it
/// resumes, the answer says it owns the workload, but its lease has lapsed by its own clock and the
/// other node owns the workload by now. It must not start the workload.
/// </summary>
public sealed class LapsedClaimTests
{
    [Fact]
    public void A_claim_answered_after_the_session_lapsed_starts_no_term()
    {
        // When node 2's first claim is answered if nothing gets in the way.
        TimeSpan answered;
        using (var probe = new Simulation(ThreeNodes(seed: 91).Lasting(Seconds(1)).Build()))
        {
            answered = Assert.Single(probe.Run().Acquisitions(Preferred)).At;
        }

        // A LAN crossing takes 100 µs ± 20 µs: 50 µs before, the answer is on its way.
        using var simulation = new Simulation(ThreeNodes(seed: 91).PauseNode(Preferred, answered - TimeSpan.FromMicroseconds(50), Seconds(3)).Lasting(Seconds(8)).Build());
        SimulationJournal journal = simulation.Run();

        Assert.Empty(journal.Acquisitions(Preferred));
        Assert.Empty(journal.OfType<FencedWriteRefused>());
        Assert.Equal(0, simulation.Ownership!.TermsBegunLapsed);
        OwnershipAcquired takeover = Assert.Single(journal.Acquisitions(Other));
        Assert.InRange(takeover.At, Lease - TimeSpan.FromMilliseconds(1), Lease + TimeSpan.FromMilliseconds(5));
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }
}
