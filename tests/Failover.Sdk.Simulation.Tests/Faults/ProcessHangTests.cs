using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>The agent process hangs: peers suspect it, frames to it wait in its buffer, and on resume it reads them all at once and is trusted again as the same incarnation.</summary>
public sealed class ProcessHangTests
{
    // Just after the peers' heartbeats of the 1 s tick left and before they arrive, so the
    // oldest frame held is one sent before the hang, and waits for all of it.
    private static readonly TimeSpan HangAt = TimeSpan.FromSeconds(1) + TimeSpan.FromMicroseconds(50);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ResumeAt = HangAt + Hang;
    private static readonly AgentProfile Agent = AgentProfile.Default;
    private static readonly RouteDelay Lan = RouteDelay.Of(LinkProfile.Lan);

    private static Simulation Run()
    {
        var simulation = new Simulation(Scenario.Create(seed: 13)
            .SingleLan(3)
            .Agent(Agent)
            .HangProcess(2, HangAt, Hang)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void Every_peer_suspects_the_hung_process_within_the_detector_bound()
    {
        using Simulation simulation = Run();

        PeerSuspected[] suspected = [.. simulation.Journal.OfType<PeerSuspected>()];
        Assert.Equal([1u, 3u], suspected.Select(s => s.Observer).Order());
        Assert.All(suspected, s => Assert.Equal((2u, 1u), (s.Peer, s.Incarnation)));
        Assert.All(suspected, s => Assert.InRange(s.At - HangAt, Detection.Earliest(Agent, Lan), Detection.Latest(Agent, Lan)));
        Assert.DoesNotContain(simulation.Journal.OfType<FrameSent>().Within(HangAt, ResumeAt), f => f.From == 2);
    }

    [Fact]
    public void On_resume_the_frames_held_meanwhile_are_delivered_at_once_with_the_hang_in_their_latency()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        Assert.Empty(journal.OfType<FrameLost>());
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(HangAt, ResumeAt), f => f.To == 2);
        FrameDelivered[] held = [.. journal.OfType<FrameDelivered>().Where(f => f.To == 2 && f.At == ResumeAt)];

        // Two peers, one heartbeat each per interval, for the whole hang.
        int intervals = (int)(Hang / Agent.HeartbeatInterval);
        Assert.InRange(held.Length, 2 * intervals, 2 * (intervals + 1));
        Assert.All(held, f => Assert.Equal(ResumeAt - f.SentAt(), f.Latency));
        Assert.All(held, f => Assert.InRange(f.SentAt(), HangAt - Lan.Max, ResumeAt));
        Assert.InRange(held.Max(f => f.Latency), Hang, Hang + Lan.Max);
        Assert.All(held, f => Assert.False(f.Duplicate));
    }

    [Fact]
    public void After_resume_peers_trust_the_same_incarnation_and_the_resumed_agent_suspects_nobody()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        // Its heartbeat timer came due during the hang and fires on resume.
        PeerTrusted[] trusted = [.. journal.OfType<PeerTrusted>().Within(ResumeAt, TimeSpan.MaxValue)];
        Assert.Equal([1u, 3u], trusted.Select(t => t.Observer).Order());
        Assert.All(trusted, t => Assert.Equal((2u, 1u), (t.Peer, t.Incarnation)));
        Assert.All(trusted, t => Assert.InRange(t.At - ResumeAt, Lan.Min, Lan.Max));
        Assert.Empty(journal.OfType<PeerRestarted>());

        // It read its peers' buffered heartbeats before its own watch timer fired.
        Assert.DoesNotContain(journal.OfType<PeerSuspected>(), s => s.Observer == 2);
        Assert.Equal(1u, simulation.Agent(2)!.Incarnation);
        Assert.All(simulation.Agent(2)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
    }
}
