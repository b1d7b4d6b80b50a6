using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>WAN links are cut: with both gone the sites lose each other (and only each other); with one gone the other carries everything.</summary>
public sealed class LinkCutTests
{
    private static readonly TimeSpan CutAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SpliceAt = TimeSpan.FromSeconds(3);
    private static readonly AgentProfile Agent = AgentProfile.Default;
    private static readonly RouteDelay CrossSite = RouteDelay.Of(LinkProfile.Lan, LinkProfile.Wan, LinkProfile.Lan);

    private static bool Site(uint node) => node <= 2;

    [Fact]
    public void Cutting_both_wan_links_makes_each_site_suspect_the_other_and_only_the_other()
    {
        using var simulation = new Simulation(Scenario.Create(seed: 18)
            .TwoSites(nodesPerSite: 2)
            .Agent(Agent)
            .CutLink("wan-1", CutAt, lasting: SpliceAt - CutAt)
            .CutLink("wan-2", CutAt, lasting: SpliceAt - CutAt)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        PeerSuspected[] suspected = [.. journal.OfType<PeerSuspected>()];
        Assert.Equal(8, suspected.Length); // 2 × 2 pairs across, both ways
        Assert.All(suspected, s => Assert.NotEqual(Site(s.Observer), Site(s.Peer)));
        Assert.Equal(8, suspected.Select(s => (s.Observer, s.Peer)).Distinct().Count());
        Assert.All(suspected, s => Assert.InRange(s.At - CutAt, Detection.Earliest(Agent, CrossSite), Detection.Latest(Agent, CrossSite)));

        Assert.All(journal.OfType<FrameLost>(), f => Assert.Equal(FrameLossReason.NoRoute, f.Reason));
        Assert.All(journal.OfType<FrameLost>(), f => Assert.NotEqual(Site(f.From), Site(f.To)));
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(CutAt + CrossSite.Max, SpliceAt), f => Site(f.From) != Site(f.To));
    }

    [Fact]
    public void Splicing_the_links_makes_every_cross_site_peer_trusted_again()
    {
        using var simulation = new Simulation(Scenario.Create(seed: 19)
            .TwoSites(nodesPerSite: 2)
            .Agent(Agent)
            .CutLink("wan-1", CutAt, lasting: SpliceAt - CutAt)
            .CutLink("wan-2", CutAt, lasting: SpliceAt - CutAt)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        PeerTrusted[] trusted = [.. journal.OfType<PeerTrusted>().Within(SpliceAt, TimeSpan.MaxValue)];
        Assert.Equal(8, trusted.Length);
        Assert.All(trusted, t => Assert.NotEqual(Site(t.Observer), Site(t.Peer)));
        Assert.All(trusted, t => Assert.InRange(t.At - SpliceAt, CrossSite.Min, Agent.HeartbeatInterval + CrossSite.Max));
        Assert.DoesNotContain(journal.OfType<PeerSuspected>(), s => s.At >= SpliceAt);
        Assert.All(journal.OfType<FrameLost>(), f => Assert.True(f.At < SpliceAt));
    }

    [Fact]
    public void Cutting_one_wan_link_reroutes_over_the_other_and_nobody_is_suspected()
    {
        using var simulation = new Simulation(Scenario.Create(seed: 20)
            .TwoSites(nodesPerSite: 2)
            .Agent(Agent)
            .CutLink("wan-1", CutAt)
            .Lasting(TimeSpan.FromSeconds(3))
            .Build());
        SimulationJournal journal = simulation.Run();

        Assert.Empty(journal.OfType<PeerSuspected>());
        Assert.Empty(journal.OfType<FrameLost>());
        Assert.All(journal.OfType<FrameDelivered>().Where(f => Site(f.From) != Site(f.To)), f => Assert.InRange(f.Latency, CrossSite.Min, CrossSite.Max));
        Assert.Contains(journal.OfType<FrameDelivered>().Within(CutAt, TimeSpan.MaxValue), f => Site(f.From) != Site(f.To));
    }
}
