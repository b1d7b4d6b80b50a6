using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Network;

/// <summary>A frame's delay is the sum of the latencies of the stretches it crosses, LAN + WAN + LAN between sites, each within its jitter.</summary>
public sealed class LinkLatencyTests
{
    private static bool Site(uint node) => node <= 2;

    [Fact]
    public void Without_jitter_the_delay_is_exactly_the_sum_of_the_profiles()
    {
        var lan = new LinkProfile { Latency = TimeSpan.FromMicroseconds(300) };
        var wan = new LinkProfile { Latency = TimeSpan.FromMilliseconds(7) };
        using var simulation = new Simulation(Scenario.Create(seed: 36).TwoSites(nodesPerSite: 2, lan, wan).Lasting(TimeSpan.FromSeconds(2)).Build());
        SimulationJournal journal = simulation.Run();

        FrameDelivered[] across = [.. journal.OfType<FrameDelivered>().Where(f => Site(f.From) != Site(f.To))];
        FrameDelivered[] within = [.. journal.OfType<FrameDelivered>().Where(f => Site(f.From) == Site(f.To))];
        Assert.NotEmpty(across);
        Assert.NotEmpty(within);
        Assert.All(across, f => Assert.Equal(lan.Latency + wan.Latency + lan.Latency, f.Latency));
        Assert.All(within, f => Assert.Equal(lan.Latency, f.Latency));
    }

    [Fact]
    public void With_jitter_every_delay_stays_within_the_summed_jitter_and_spreads_across_it()
    {
        var lan = new LinkProfile { Latency = TimeSpan.FromMicroseconds(300), Jitter = TimeSpan.FromMicroseconds(50) };
        var wan = new LinkProfile { Latency = TimeSpan.FromMilliseconds(7), Jitter = TimeSpan.FromMilliseconds(1) };
        RouteDelay route = RouteDelay.Of(lan, wan, lan);
        using var simulation = new Simulation(Scenario.Create(seed: 37).TwoSites(nodesPerSite: 2, lan, wan).Lasting(TimeSpan.FromSeconds(3)).Build());
        SimulationJournal journal = simulation.Run();

        TimeSpan[] across = [.. journal.OfType<FrameDelivered>().Where(f => Site(f.From) != Site(f.To)).Select(f => f.Latency)];
        Assert.True(across.Length > 400);
        Assert.Equal(TimeSpan.FromMicroseconds(7600) - TimeSpan.FromMicroseconds(1100), route.Min);
        Assert.Equal(TimeSpan.FromMicroseconds(7600) + TimeSpan.FromMicroseconds(1100), route.Max);
        Assert.All(across, latency => Assert.InRange(latency, route.Min, route.Max));

        // Uniform draws per hop: the mean sits at the sum of latencies, the extremes near the bounds.
        TimeSpan mean = TimeSpan.FromTicks((long)across.Average(l => l.Ticks));
        Assert.InRange(mean, TimeSpan.FromMicroseconds(7600 - 120), TimeSpan.FromMicroseconds(7600 + 120));
        Assert.True(across.Min() < TimeSpan.FromMicroseconds(7600 - 800), $"min {across.Min()}");
        Assert.True(across.Max() > TimeSpan.FromMicroseconds(7600 + 800), $"max {across.Max()}");
    }
}
