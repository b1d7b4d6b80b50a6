using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>The agent process dies but the OS stays up: peers suspect it, frames to it are lost only while no process reads them, and the restart is a new incarnation.</summary>
public sealed class ProcessCrashTests
{
    private static readonly TimeSpan CrashAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RestartAt = TimeSpan.FromSeconds(2.5);
    private static readonly AgentProfile Agent = AgentProfile.Default;
    private static readonly RouteDelay Lan = RouteDelay.Of(LinkProfile.Lan);

    private static Simulation Run()
    {
        var simulation = new Simulation(Scenario.Create(seed: 12)
            .SingleLan(3)
            .Agent(Agent)
            .CrashProcess(3, CrashAt, lasting: RestartAt - CrashAt)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void Every_peer_suspects_the_dead_process_within_the_detector_bound()
    {
        using Simulation simulation = Run();

        Assert.Single(simulation.Journal, e => e is NodeStopped { Node: 3, Incarnation: 1 } && e.At == CrashAt);
        PeerSuspected[] suspected = [.. simulation.Journal.OfType<PeerSuspected>()];
        Assert.Equal([1u, 2u], suspected.Select(s => s.Observer).Order());
        Assert.All(suspected, s => Assert.Equal((3u, 1u), (s.Peer, s.Incarnation)));
        Assert.All(suspected, s => Assert.InRange(s.At - CrashAt, Detection.Earliest(Agent, Lan) + TimeSpan.FromTicks(1), Detection.Latest(Agent, Lan)));
    }

    [Fact]
    public void Frames_to_the_node_are_lost_as_node_down_only_while_the_process_is_down()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        // The OS and its NICs stay up, so frames do reach the node: nobody reads them.
        FrameLost[] lost = [.. journal.OfType<FrameLost>()];
        Assert.NotEmpty(lost);
        Assert.All(lost, f => Assert.Equal((3u, FrameLossReason.NodeDown), (f.To, f.Reason)));
        Assert.All(lost, f => Assert.InRange(f.At, CrashAt, RestartAt));

        // Each frame sent to it while it was down is lost, unless it arrived after the restart.
        int sentWhileDown = journal.OfType<FrameSent>().Within(CrashAt, RestartAt).Count(f => f.To == 3);
        FrameDelivered[] deliveredLater = [.. journal.OfType<FrameDelivered>().Where(f => f.To == 3 && f.SentAt() >= CrashAt && f.SentAt() < RestartAt)];
        Assert.All(deliveredLater, f => Assert.True(f.At >= RestartAt));
        Assert.Equal(sentWhileDown, lost.Length + deliveredLater.Length);

        Assert.DoesNotContain(journal.OfType<FrameSent>().Within(CrashAt, RestartAt), f => f.From == 3);
        Assert.Contains(journal.OfType<FrameDelivered>().Within(RestartAt, TimeSpan.MaxValue), f => f.To == 3);
        Assert.Contains(journal.OfType<FrameDelivered>().Within(RestartAt, TimeSpan.MaxValue), f => f.From == 3);
    }

    [Fact]
    public void The_restarted_process_is_a_new_incarnation_that_every_peer_sees_restart()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        Assert.Single(journal, e => e is NodeStarted { Node: 3, Incarnation: 2 } && e.At == RestartAt);
        PeerRestarted[] restarted = [.. journal.OfType<PeerRestarted>()];
        Assert.Equal([1u, 2u], restarted.Select(r => r.Observer).Order());
        Assert.All(restarted, r => Assert.Equal((3u, 1u, 2u), (r.Peer, r.PreviousIncarnation, r.Incarnation)));
        Assert.All(restarted, r => Assert.InRange(r.At - RestartAt, Lan.Min, Lan.Max));
        Assert.Contains(simulation.Agent(1)!.GetPeers(), p => p is { NodeId: 3, State: PeerState.Up, Incarnation: 2 });
        Assert.Equal(2u, simulation.Agent(3)!.Incarnation);
    }
}
