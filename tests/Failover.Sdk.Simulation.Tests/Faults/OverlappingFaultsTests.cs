using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>Faults on the same node that overlap, as random fault schedules make them: each keeps its meaning while the other lasts.</summary>
public sealed class OverlappingFaultsTests
{
    private static readonly TimeSpan PauseAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ResumeAt = TimeSpan.FromSeconds(3);

    [Fact]
    public void A_process_restarted_while_its_node_is_paused_starts_only_when_the_node_resumes()
    {
        // The process dies during the pause (an OOM kill as the VM stalls, say) and is due back
        // at 2 s: nothing runs on a paused node, so neither does its restart.
        using var simulation = new Simulation(Scenario.Create(seed: 25)
            .SingleLan(3)
            .PauseNode(2, PauseAt, ResumeAt - PauseAt)
            .CrashProcess(2, TimeSpan.FromSeconds(1.5), lasting: TimeSpan.FromSeconds(0.5))
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        Assert.DoesNotContain(journal.OfType<FrameSent>().Within(PauseAt, ResumeAt), f => f.From == 2);
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(PauseAt, ResumeAt), f => f.To == 2);
        Assert.Single(journal, e => e is NodeStarted { Node: 2, Incarnation: 2 } && e.At == ResumeAt);

        // Back as the next incarnation once the node runs again.
        Assert.Equal(2, journal.OfType<PeerRestarted>().Count(r => r is { Peer: 2, Incarnation: 2 } && r.At >= ResumeAt));
        Assert.All(simulation.Agent(1)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
        Assert.All(simulation.Agent(2)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
    }

    [Fact]
    public void A_process_that_dies_during_a_pause_and_restarts_after_it_starts_on_schedule()
    {
        using var simulation = new Simulation(Scenario.Create(seed: 26)
            .SingleLan(3)
            .PauseNode(2, PauseAt, ResumeAt - PauseAt)
            .CrashProcess(2, TimeSpan.FromSeconds(1.5), lasting: TimeSpan.FromSeconds(2))
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        Assert.DoesNotContain(journal.OfType<FrameSent>().Within(PauseAt, TimeSpan.FromSeconds(3.5)), f => f.From == 2);
        Assert.Single(journal, e => e is NodeStarted { Node: 2, Incarnation: 2 } && e.At == TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public void Frames_held_for_a_process_that_dies_are_journaled_as_lost_not_dropped_silently()
    {
        // Hung from 1 s, killed at 2 s with a second of heartbeats in its buffer, back at 2.5 s.
        using var simulation = new Simulation(Scenario.Create(seed: 27)
            .SingleLan(3)
            .HangProcess(2, PauseAt, lasting: TimeSpan.FromSeconds(3))
            .CrashProcess(2, TimeSpan.FromSeconds(2), lasting: TimeSpan.FromSeconds(0.5))
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        // Every frame sent to node 2 (but those still in flight at the end) was lost or delivered.
        TimeSpan end = simulation.Elapsed - TimeSpan.FromMilliseconds(1);
        int sent = journal.OfType<FrameSent>().Count(f => f.To == 2 && f.At < end);
        int lost = journal.OfType<FrameLost>().Count(f => f.To == 2);
        int delivered = journal.OfType<FrameDelivered>().Count(f => f.To == 2 && f.SentAt() < end);
        Assert.Equal(sent, lost + delivered);

        // The buffered ones go as the process dies, because it dies.
        FrameLost[] dropped = [.. journal.OfType<FrameLost>().Where(f => f.At == TimeSpan.FromSeconds(2))];
        Assert.InRange(dropped.Length, 2 * 9, 2 * 11);
        Assert.All(journal.OfType<FrameLost>(), f => Assert.Equal(FrameLossReason.NodeDown, f.Reason));
    }
}
