using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;
using Failover.Sdk.Simulation.Tests.Support;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>One of a node's two NICs fails: that path goes dark both ways, the other carries the heartbeats, and nobody suspects the node.</summary>
public sealed class NicFailureTests
{
    private static readonly TimeSpan FailAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RepairAt = TimeSpan.FromSeconds(3);

    private static Simulation Run()
    {
        // Two sites of two nodes, each node with a NIC on path 1 and path 2.
        var simulation = new Simulation(Scenario.Create(seed: 15)
            .TwoSites(nodesPerSite: 2)
            .FailNic(node: 2, path: 1, FailAt, lasting: RepairAt - FailAt)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void Every_frame_on_the_failed_path_to_or_from_the_node_is_lost_as_nic_down()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        FrameSent[] sent = [.. journal.OfType<FrameSent>().Within(FailAt, RepairAt).Where(f => f.Path == 1 && f.Involves(2))];
        FrameLost[] lost = [.. journal.OfType<FrameLost>()];
        Assert.Equal(3 * 2 * (int)((RepairAt - FailAt) / AgentProfile.Default.HeartbeatInterval), sent.Length); // 3 peers, both ways, each interval
        Assert.Equal(sent.Length, lost.Length);
        Assert.All(lost, f => Assert.Equal((FrameLossReason.NicDown, (ushort)1), (f.Reason, f.Path)));
        Assert.All(lost, f => Assert.True(f.Involves(2)));
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(FailAt, RepairAt), f => f.Path == 1 && f.Involves(2));
    }

    [Fact]
    public void The_other_path_carries_the_node_both_ways_so_it_is_never_suspected()
    {
        using Simulation simulation = Run();
        SimulationJournal journal = simulation.Journal;

        FrameDelivered[] other = [.. journal.OfType<FrameDelivered>().Within(FailAt, RepairAt).Where(f => f.Path == 2)];
        Assert.Contains(other, f => f.From == 2);
        Assert.Contains(other, f => f.To == 2);
        Assert.Empty(journal.OfType<PeerSuspected>());
        foreach (uint node in (uint[])[1, 2, 3, 4])
        {
            Assert.All(simulation.Agent(node)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
        }
    }

    [Fact]
    public void After_the_repair_the_path_carries_frames_again()
    {
        using Simulation simulation = Run();

        Assert.Contains(simulation.Journal.OfType<FrameDelivered>().Within(RepairAt, TimeSpan.MaxValue), f => f.Path == 1 && f.From == 2);
        Assert.Contains(simulation.Journal.OfType<FrameDelivered>().Within(RepairAt, TimeSpan.MaxValue), f => f.Path == 1 && f.To == 2);
        Assert.All(simulation.Journal.OfType<FrameLost>(), f => Assert.True(f.At < RepairAt));
    }
}
