using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>
/// The whole node stalls (a long GC, a frozen VM) for much longer than the detector bound:
/// peers suspect it; on resume it reads the heartbeats buffered meanwhile before its own
/// timers fire, so it does not suspect peers that were never silent.
/// </summary>
public sealed class NodePauseTests
{
    private static readonly TimeSpan PauseAt = TimeSpan.FromSeconds(1) + TimeSpan.FromMicroseconds(50);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ResumeAt = PauseAt + Pause;
    private static readonly AgentProfile Agent = AgentProfile.Default;
    private static readonly RouteDelay Lan = RouteDelay.Of(LinkProfile.Lan);

    private static Simulation Start() => new(Scenario.Create(seed: 14)
        .SingleLan(3)
        .Agent(Agent)
        .PauseNode(1, PauseAt, Pause)
        .Lasting(TimeSpan.FromSeconds(4))
        .Build());

    [Fact]
    public void The_pause_is_far_longer_than_the_detector_bound()
    {
        Assert.True(Pause > 4 * Detection.Latest(Agent, Lan));
    }

    [Fact]
    public void Every_peer_suspects_the_paused_node_within_the_detector_bound_and_trusts_it_after()
    {
        using Simulation simulation = Start();
        SimulationJournal journal = simulation.Run();

        PeerSuspected[] suspected = [.. journal.OfType<PeerSuspected>()];
        Assert.Equal([2u, 3u], suspected.Select(s => s.Observer).Order());
        Assert.All(suspected, s => Assert.Equal(1u, s.Peer));
        Assert.All(suspected, s => Assert.InRange(s.At - PauseAt, Detection.Earliest(Agent, Lan), Detection.Latest(Agent, Lan)));

        PeerTrusted[] trusted = [.. journal.OfType<PeerTrusted>().Within(ResumeAt, TimeSpan.MaxValue)];
        Assert.Equal([2u, 3u], trusted.Select(t => t.Observer).Order());
        Assert.All(trusted, t => Assert.Equal((1u, 1u), (t.Peer, t.Incarnation)));
        Assert.All(trusted, t => Assert.InRange(t.At - ResumeAt, Lan.Min, Lan.Max));
    }

    [Fact]
    public void The_paused_node_sends_and_reads_nothing_until_it_resumes_then_reads_everything_held()
    {
        using Simulation simulation = Start();
        SimulationJournal journal = simulation.Run();

        Assert.DoesNotContain(journal.OfType<FrameSent>().Within(PauseAt, ResumeAt), f => f.From == 1);
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(PauseAt, ResumeAt), f => f.To == 1);
        Assert.Empty(journal.OfType<FrameLost>());
        FrameDelivered[] held = [.. journal.OfType<FrameDelivered>().Where(f => f.To == 1 && f.At == ResumeAt)];
        Assert.InRange(held.Length, 2 * (int)(Pause / Agent.HeartbeatInterval), 2 * ((int)(Pause / Agent.HeartbeatInterval) + 1));
        Assert.InRange(held.Max(f => f.Latency), Pause, Pause + Lan.Max);
    }

    [Fact]
    public void The_resumed_agent_reads_the_buffered_heartbeats_first_and_suspects_no_peer()
    {
        using Simulation simulation = Start();
        simulation.RunUntil(ResumeAt);

        // The instant it resumes: held frames read, then the timers that came due fired.
        Assert.All(simulation.Agent(1)!.GetPeers(), p =>
        {
            Assert.Equal(PeerState.Up, p.State);
            Assert.True(p.Silence < Detection.Timeout(Agent), $"peer {p.NodeId} silent for {p.Silence} on resume");
        });

        simulation.Run();
        Assert.DoesNotContain(simulation.Journal.OfType<PeerSuspected>(), s => s.Observer == 1);
        Assert.All(simulation.Agent(1)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
    }
}
