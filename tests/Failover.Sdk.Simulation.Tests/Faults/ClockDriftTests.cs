using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>A node's clock runs fast or slow (EX-3): its timers, and so its heartbeats, run that much fast or slow in true time.</summary>
public sealed class ClockDriftTests
{
    private static readonly TimeSpan Interval = AgentProfile.Default.HeartbeatInterval;
    private static readonly TimeSpan DriftFrom = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DriftUntil = TimeSpan.FromSeconds(11);

    /// <summary>The mean gap, in true time, between node <paramref name="from"/>'s heartbeats to <paramref name="to"/> sent in the window.</summary>
    private static TimeSpan MeanInterval(SimulationJournal journal, uint from, uint to, TimeSpan start, TimeSpan end)
    {
        TimeSpan[] sent = [.. journal.OfType<FrameSent>().Where(f => f.From == from && f.To == to && f.At >= start && f.At < end).Select(f => f.At)];
        Assert.True(sent.Length > 50, $"only {sent.Length} heartbeats in the window");
        return (sent[^1] - sent[0]) / (sent.Length - 1);
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(-20_000)]
    public void A_drifting_node_heartbeats_that_much_faster_or_slower_in_true_time(double partsPerMillion)
    {
        using var simulation = new Simulation(Scenario.Create(seed: 24)
            .SingleLan(2)
            .Inject(new ClockDrift(2, partsPerMillion), DriftFrom, lasting: DriftUntil - DriftFrom)
            .Lasting(DriftUntil + TimeSpan.FromSeconds(10))
            .Build());
        SimulationJournal journal = simulation.Run();

        double rate = 1 + (partsPerMillion / 1_000_000);

        // The first tick after the drift starts comes from the rescaled rest of a period; measure from the next.
        TimeSpan drifting = MeanInterval(journal, 2, 1, DriftFrom + Interval, DriftUntil);
        Assert.InRange(drifting.Ticks, (Interval / rate).Ticks - 1, (Interval / rate).Ticks + 1);
        Assert.Equal(Interval, MeanInterval(journal, 1, 2, DriftFrom, DriftUntil));

        // Counted over the window: 2 % more (or fewer) frames, within one at each end.
        int fast = journal.OfType<FrameSent>().Count(f => f.From == 2 && f.At >= DriftFrom + Interval && f.At < DriftUntil);
        int steady = journal.OfType<FrameSent>().Count(f => f.From == 1 && f.At >= DriftFrom + Interval && f.At < DriftUntil);
        Assert.InRange(fast, (int)(steady * rate) - 1, (int)(steady * rate) + 1);

        // Healed: back to the true interval.
        Assert.Equal(Interval, MeanInterval(journal, 2, 1, DriftUntil + Interval, DriftUntil + TimeSpan.FromSeconds(10)));

        // A 2 % error is far inside k = 3: nobody is suspected, either way.
        Assert.Empty(journal.OfType<PeerSuspected>());
        Assert.All(simulation.Agent(2)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
    }
}
