using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Network;

/// <summary>A link that duplicates every frame: each arrives twice, the receiving agent's replay window rejects one copy, and the agent stays healthy.</summary>
public sealed class LinkDuplicationTests
{
    [Fact]
    public void Every_frame_arrives_twice_and_the_replay_window_rejects_exactly_one_copy_of_each()
    {
        using var rejected = new RejectedFrames();
        using var simulation = new Simulation(Scenario.Create(seed: 33)
            .SingleLan(3, LinkProfile.Lan with { Duplication = 1, Jitter = TimeSpan.FromMicroseconds(60) })
            .Lasting(TimeSpan.FromSeconds(3))
            .Build());
        SimulationJournal journal = simulation.Run();

        // Frames of the last tick are still in flight when the run ends.
        TimeSpan end = simulation.Elapsed - TimeSpan.FromMilliseconds(1);
        int sent = journal.OfType<FrameSent>().Count(f => f.At < end);
        IGrouping<(uint, uint, ushort, TimeSpan), FrameDelivered>[] copies =
            [.. journal.OfType<FrameDelivered>().Where(f => f.SentAt() < end).GroupBy(f => (f.From, f.To, f.Path, f.SentAt()))];
        Assert.Equal(sent, copies.Length);
        Assert.All(copies, c => Assert.Equal([false, true], c.Select(f => f.Duplicate).Order()));

        // Independent delays: sometimes the copy overtakes the original.
        Assert.Contains(copies, c => c.Single(f => f.Duplicate).At < c.Single(f => !f.Duplicate).At);

        long deliveredTwice = journal.OfType<FrameDelivered>().GroupBy(f => (f.From, f.To, f.Path, f.SentAt())).Count(c => c.Count() == 2);
        Assert.Equal(deliveredTwice, rejected["replayed"]);
        Assert.Equal(deliveredTwice, rejected.Total);
    }

    [Fact]
    public void The_receiving_agents_stay_healthy()
    {
        using var simulation = new Simulation(Scenario.Create(seed: 34)
            .SingleLan(3, LinkProfile.Lan with { Duplication = 1 })
            .Lasting(TimeSpan.FromSeconds(3))
            .Build());
        SimulationJournal journal = simulation.Run();

        Assert.Equal(simulation.FramesDelivered, 2 * journal.OfType<FrameDelivered>().Count(f => !f.Duplicate));
        Assert.Empty(journal.OfType<PeerSuspected>());
        Assert.Equal(6, journal.OfType<PeerTrusted>().Count());
        foreach (uint node in (uint[])[1, 2, 3])
        {
            Assert.All(simulation.Agent(node)!.GetPeers(), p => Assert.Equal((PeerState.Up, 1u), (p.State, p.Incarnation)));
        }
    }
}
