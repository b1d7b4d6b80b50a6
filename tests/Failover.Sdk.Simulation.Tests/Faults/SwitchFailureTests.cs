using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>A switch fails: every NIC cabled to it goes dark, and only peers with no other path are suspected.</summary>
public sealed class SwitchFailureTests
{
    private static readonly TimeSpan FailAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RepairAt = TimeSpan.FromSeconds(3);

    [Fact]
    public void Every_nic_on_the_failed_switch_goes_dark_and_the_rest_of_its_path_still_works()
    {
        // Site A's path-1 switch: nodes 1 and 2 lose path 1; nodes 3 and 4 keep it between themselves.
        using var simulation = new Simulation(Scenario.Create(seed: 16)
            .TwoSites(nodesPerSite: 2)
            .FailSwitch("a1", FailAt, lasting: RepairAt - FailAt)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        bool OnDarkNic(ushort path, uint from, uint to) => path == 1 && (from <= 2 || to <= 2);
        FrameSent[] dark = [.. journal.OfType<FrameSent>().Within(FailAt, RepairAt).Where(f => OnDarkNic(f.Path, f.From, f.To))];
        Assert.NotEmpty(dark);
        Assert.Equal(dark.Length, journal.OfType<FrameLost>().Count());
        Assert.All(journal.OfType<FrameLost>(), f => Assert.Equal(FrameLossReason.SwitchDown, f.Reason));
        Assert.All(journal.OfType<FrameLost>(), f => Assert.True(OnDarkNic(f.Path, f.From, f.To)));
        Assert.DoesNotContain(journal.OfType<FrameDelivered>().Within(FailAt, RepairAt), f => OnDarkNic(f.Path, f.From, f.To));
        Assert.Contains(journal.OfType<FrameDelivered>().Within(FailAt, RepairAt), f => f is { Path: 1, From: 3, To: 4 });

        // Path 2 carries everyone meanwhile.
        Assert.Empty(journal.OfType<PeerSuspected>());
        Assert.Contains(journal.OfType<FrameDelivered>().Within(RepairAt, TimeSpan.MaxValue), f => f is { Path: 1, From: 1 });
    }

    [Fact]
    public void When_the_only_switch_fails_everyone_suspects_everyone_within_the_bound_and_trusts_them_after_the_repair()
    {
        AgentProfile agent = AgentProfile.Default;
        RouteDelay lan = RouteDelay.Of(LinkProfile.Lan);
        using var simulation = new Simulation(Scenario.Create(seed: 17)
            .SingleLan(3)
            .Agent(agent)
            .FailSwitch("switch", FailAt, lasting: RepairAt - FailAt)
            .Lasting(TimeSpan.FromSeconds(4))
            .Build());
        SimulationJournal journal = simulation.Run();

        PeerSuspected[] suspected = [.. journal.OfType<PeerSuspected>()];
        Assert.Equal(6, suspected.Select(s => (s.Observer, s.Peer)).Distinct().Count());
        Assert.Equal(6, suspected.Length);
        Assert.All(suspected, s => Assert.InRange(s.At - FailAt, Detection.Earliest(agent, lan), Detection.Latest(agent, lan)));

        PeerTrusted[] trusted = [.. journal.OfType<PeerTrusted>().Within(RepairAt, TimeSpan.MaxValue)];
        Assert.Equal(6, trusted.Length);
        Assert.All(trusted, t => Assert.InRange(t.At - RepairAt, lan.Min, agent.HeartbeatInterval + lan.Max));
        Assert.All(journal.OfType<FrameLost>(), f => Assert.Equal(FrameLossReason.SwitchDown, f.Reason));
        Assert.All(journal.OfType<FrameLost>(), f => Assert.InRange(f.At, FailAt, RepairAt));
        foreach (uint node in (uint[])[1, 2, 3])
        {
            Assert.All(simulation.Agent(node)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
        }
    }
}
