using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>A partition: the sides suspect each other and nobody else; nodes in no group reach everyone; the heal ends every suspicion.</summary>
public sealed class PartitionTests
{
    private static readonly TimeSpan SplitAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HealAt = TimeSpan.FromSeconds(3);
    private static readonly AgentProfile Agent = AgentProfile.Default;
    private static readonly RouteDelay Lan = RouteDelay.Of(LinkProfile.Lan);

    [Fact]
    public void The_sides_suspect_each_other_only()
    {
        // {1,2} | {3,4}; node 5 is in no group and reaches both.
        using var simulation = new Simulation(Scenario.Create(seed: 21)
            .SingleLan(5)
            .Agent(Agent)
            .Partition(SplitAt, HealAt - SplitAt, [1, 2], [3, 4])
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        static int Side(uint node) => node switch { 1 or 2 => 0, 3 or 4 => 1, _ => -1 };
        PeerSuspected[] suspected = [.. journal.OfType<PeerSuspected>()];
        Assert.Equal(8, suspected.Length);
        Assert.All(suspected, s => Assert.True(Side(s.Observer) >= 0 && Side(s.Peer) >= 0 && Side(s.Observer) != Side(s.Peer), $"{s.Observer} suspected {s.Peer}"));
        Assert.Equal(8, suspected.Select(s => (s.Observer, s.Peer)).Distinct().Count());
        Assert.All(suspected, s => Assert.InRange(s.At - SplitAt, Detection.Earliest(Agent, Lan), Detection.Latest(Agent, Lan)));

        Assert.All(journal.OfType<FrameLost>(), f => Assert.Equal(FrameLossReason.Partitioned, f.Reason));
        Assert.All(journal.OfType<FrameLost>(), f => Assert.NotEqual(Side(f.From), Side(f.To)));
        Assert.DoesNotContain(journal.OfType<FrameLost>(), f => f.Involves(5));
    }

    [Fact]
    public void The_heal_makes_every_peer_trusted_again_within_one_interval_and_a_frame()
    {
        using var simulation = new Simulation(Scenario.Create(seed: 22)
            .SingleLan(4)
            .Agent(Agent)
            .Partition(SplitAt, HealAt - SplitAt, [1], [2, 3, 4])
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        Assert.Equal(6, journal.OfType<PeerSuspected>().Count());
        Assert.All(journal.OfType<PeerSuspected>(), s => Assert.True(s.Observer == 1 || s.Peer == 1));
        PeerTrusted[] trusted = [.. journal.OfType<PeerTrusted>().Within(HealAt, TimeSpan.MaxValue)];
        Assert.Equal(6, trusted.Length);
        Assert.All(trusted, t => Assert.InRange(t.At - HealAt, Lan.Min, Agent.HeartbeatInterval + Lan.Max));
        foreach (uint node in (uint[])[1, 2, 3, 4])
        {
            Assert.All(simulation.Agent(node)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
        }
    }
}
