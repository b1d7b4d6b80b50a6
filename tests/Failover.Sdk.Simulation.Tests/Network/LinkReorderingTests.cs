using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Network;

/// <summary>A reordering link holds some frames back one more crossing, so later frames overtake them; the agents accept late frames within their replay window.</summary>
public sealed class LinkReorderingTests
{
    // Held back a second 15 ms crossing, a frame lands after the next heartbeat (sent 10 ms later).
    private static readonly LinkProfile Reordering = new() { Latency = TimeSpan.FromMilliseconds(15), Reordering = 0.3 };
    private static readonly AgentProfile Agent = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(10), MissedHeartbeats = 5 };

    [Fact]
    public void Some_frames_are_overtaken_by_later_ones_and_each_is_held_back_exactly_one_crossing()
    {
        using var rejected = new RejectedFrames();
        using var simulation = new Simulation(Scenario.Create(seed: 35)
            .SingleLan(2, Reordering)
            .Agent(Agent)
            .Lasting(TimeSpan.FromSeconds(3))
            .Build());
        SimulationJournal journal = simulation.Run();

        FrameDelivered[] delivered = [.. journal.OfType<FrameDelivered>()];
        Assert.All(delivered, f => Assert.Contains(f.Latency, (TimeSpan[])[Reordering.Latency, 2 * Reordering.Latency]));
        double heldBack = (double)delivered.Count(f => f.Latency > Reordering.Latency) / delivered.Length;
        Assert.InRange(heldBack, 0.25, 0.35);

        int overtaken = 0;
        foreach (IGrouping<(uint, uint), FrameDelivered> stream in delivered.GroupBy(f => (f.From, f.To)))
        {
            TimeSpan[] sentInArrivalOrder = [.. stream.Select(f => f.SentAt())];
            overtaken += sentInArrivalOrder.Zip(sentInArrivalOrder.Skip(1)).Count(pair => pair.Second < pair.First);
        }

        Assert.True(overtaken > delivered.Length / 10, $"only {overtaken} of {delivered.Length} frames arrived out of order");

        // Out of order but within the 64-frame window: nothing is rejected, nobody is suspected.
        Assert.Equal(0, rejected.Total);
        Assert.Empty(journal.OfType<PeerSuspected>());
        Assert.All(simulation.Agent(1)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
    }
}
