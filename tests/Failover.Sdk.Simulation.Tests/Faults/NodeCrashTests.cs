using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>A whole node crashes: its peers suspect it within the detector's bound, and when it boots they see a new incarnation.</summary>
public sealed class NodeCrashTests
{
    private static readonly TimeSpan CrashAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BootAt = TimeSpan.FromSeconds(3);
    private static readonly AgentProfile Agent = AgentProfile.Default;
    private static readonly RouteDelay Lan = RouteDelay.Of(LinkProfile.Lan);

    private static Simulation Run()
    {
        var simulation = new Simulation(Scenario.Create(seed: 11)
            .SingleLan(3)
            .Agent(Agent)
            .CrashNode(2, CrashAt, lasting: BootAt - CrashAt)
            .Lasting(TimeSpan.FromSeconds(5))
            .Build());
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void Every_peer_suspects_the_crashed_node_within_the_detector_bound()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        Assert.Single(journal, e => e is NodeStopped { Node: 2, Incarnation: 1 } && e.At == CrashAt);
        foreach (uint observer in (uint[])[1, 3])
        {
            PeerSuspected suspected = Assert.Single(journal.OfType<PeerSuspected>(), s => s.Observer == observer);
            Assert.Equal((2u, 1u), (suspected.Peer, suspected.Incarnation));
            Assert.InRange(suspected.At - CrashAt, Detection.Earliest(Agent, Lan) + TimeSpan.FromTicks(1), Detection.Latest(Agent, Lan));
            Assert.InRange(suspected.Silence, Detection.Timeout(Agent) + TimeSpan.FromTicks(1), Detection.Timeout(Agent) + Detection.WatchGranularity);
        }
    }

    [Fact]
    public void Nothing_reaches_or_leaves_the_node_while_it_is_down()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        Assert.DoesNotContain(journal.OfType<FrameSent>().Within(CrashAt, BootAt), f => f.From == 2);
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(CrashAt, BootAt), f => f.Involves(2));
        FrameLost[] lost = [.. journal.OfType<FrameLost>()];
        Assert.All(lost, f => Assert.Equal((2u, FrameLossReason.NodeDown), (f.To, f.Reason)));
        Assert.All(lost, f => Assert.InRange(f.At, CrashAt, BootAt));

        // Both peers kept sending every interval; each of those frames was lost at the dead node.
        int interval = (int)((BootAt - CrashAt) / Agent.HeartbeatInterval);
        Assert.InRange(lost.Length, 2 * (interval - 1), 2 * (interval + 1));
    }

    [Fact]
    public void The_rebooted_node_is_a_new_incarnation_that_every_peer_sees_restart()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        Assert.Single(journal, e => e is NodeStarted { Node: 2, Incarnation: 2 } && e.At == BootAt);
        foreach (uint observer in (uint[])[1, 3])
        {
            // It heartbeats as it boots, so peers see the restart one frame's delay later.
            PeerRestarted restarted = Assert.Single(journal.OfType<PeerRestarted>(), r => r.Observer == observer);
            Assert.Equal((2u, 1u, 2u), (restarted.Peer, restarted.PreviousIncarnation, restarted.Incarnation));
            Assert.InRange(restarted.At - BootAt, Lan.Min, Lan.Max);
            Assert.Contains(simulation.Agent(observer)!.GetPeers(), p => p is { NodeId: 2, State: PeerState.Up, Incarnation: 2 });
        }

        Assert.Equal(2u, simulation.Agent(2)!.Incarnation);
        Assert.All(simulation.Agent(2)!.GetPeers(), p => Assert.Equal((PeerState.Up, 1u), (p.State, p.Incarnation)));
    }

    [Fact]
    public void Only_the_crashed_node_is_ever_suspected()
    {
        using Simulation simulation = Run();

        Assert.All(simulation.Journal.OfType<PeerSuspected>(), s => Assert.Equal(2u, s.Peer));
    }
}
