using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Network;

/// <summary>A link's loss: at 1 every frame is lost (as Loss) and every peer is suspected; below 1, about that share is lost, compounding over the hops of a route.</summary>
public sealed class LinkLossTests
{
    [Fact]
    public void With_loss_one_every_frame_is_lost_and_every_peer_is_suspected_once_the_timeout_passes()
    {
        AgentProfile agent = AgentProfile.Default;
        using var simulation = new Simulation(Scenario.Create(seed: 31)
            .SingleLan(3, LinkProfile.Lan with { Loss = 1 })
            .Agent(agent)
            .Lasting(TimeSpan.FromSeconds(2))
            .Build());
        SimulationJournal journal = simulation.Run();

        Assert.True(simulation.FramesSent > 100);
        Assert.Equal(simulation.FramesSent, simulation.FramesLost);
        Assert.Equal(0, simulation.FramesDelivered);
        Assert.Empty(journal.OfType<FrameDelivered>());
        Assert.All(journal.OfType<FrameLost>(), f => Assert.Equal(FrameLossReason.Loss, f.Reason));

        // Never heard: each watcher gives up on each peer once silence since its own start exceeds k × interval.
        PeerSuspected[] suspected = [.. journal.OfType<PeerSuspected>()];
        Assert.Equal(6, suspected.Select(s => (s.Observer, s.Peer)).Distinct().Count());
        Assert.Equal(6, suspected.Length);
        Assert.All(suspected, s => Assert.InRange(s.At, Detection.Timeout(agent) + TimeSpan.FromTicks(1), Detection.Timeout(agent) + Detection.WatchGranularity));
        Assert.All(suspected, s => Assert.Equal(0u, s.Incarnation));
        Assert.All(simulation.Agent(1)!.GetPeers(), p => Assert.Equal((PeerState.Down, 0u), (p.State, p.Incarnation)));
    }

    [Theory]
    [InlineData(0.3, false)]
    [InlineData(0.3, true)]
    public void About_the_configured_share_is_lost_compounded_over_every_hop(double loss, bool acrossSites)
    {
        var lossy = LinkProfile.Lan with { Loss = loss };
        ScenarioDefinition definition = acrossSites
            ? Scenario.Create(seed: 32).TwoSites(nodesPerSite: 1, lan: lossy, wan: LinkProfile.Wan with { Loss = loss }).Lasting(TimeSpan.FromSeconds(30)).Build()
            : Scenario.Create(seed: 32).SingleLan(2, lossy).Lasting(TimeSpan.FromSeconds(30)).Build();
        using var simulation = new Simulation(definition);
        SimulationJournal journal = simulation.Run();

        // One hop on a LAN; LAN, WAN and LAN across sites, each losing independently.
        int hops = acrossSites ? 3 : 1;
        double expected = 1 - Math.Pow(1 - loss, hops);
        int lost = journal.OfType<FrameLost>().Count(f => f.Reason == FrameLossReason.Loss);
        double share = (double)lost / simulation.FramesSent;
        double fourSigma = 4 * Math.Sqrt(expected * (1 - expected) / simulation.FramesSent);
        Assert.InRange(share, expected - fourSigma, expected + fourSigma);

        // Every frame was lost or delivered, but for those still in flight when the run ended.
        long unaccounted = simulation.FramesSent - simulation.FramesLost - simulation.FramesDelivered;
        int sentLast = journal.OfType<FrameSent>().Count(f => f.At > simulation.Elapsed - RouteDelay.Of(LinkProfile.Lan, LinkProfile.Wan, LinkProfile.Lan).Max);
        Assert.InRange(unaccounted, 0, sentLast);
    }
}
