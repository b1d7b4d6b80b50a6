using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Faults;

/// <summary>Wall-clock steps (an NTP jump, EX-3) move a node's wall clock by hours, and detection, on monotonic time, does not notice.</summary>
public sealed class ClockSkewTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static Simulation Start() => new(Scenario.Create(seed: 23)
        .SingleLan(3)
        .Inject(new ClockSkew(2, Hour), TimeSpan.FromSeconds(1), lasting: TimeSpan.FromSeconds(1))
        .Inject(new ClockSkew(3, -Hour), TimeSpan.FromSeconds(1.5))

        // Restarted an hour in the past: its heartbeat sequence starts from that wall clock.
        .CrashProcess(3, TimeSpan.FromSeconds(2.5), lasting: TimeSpan.FromMilliseconds(50))
        .Lasting(TimeSpan.FromSeconds(4))
        .Build());

    private static TimeSpan WallOffset(Simulation simulation, uint node) => simulation.ClockOf(node).GetUtcNow() - simulation.Time.GetUtcNow();

    private static TimeSpan MonotonicOffset(Simulation simulation, uint node) => TimeSpan.FromTicks(simulation.ClockOf(node).GetTimestamp() - simulation.Time.GetTimestamp());

    [Fact]
    public void The_wall_clock_jumps_and_the_monotonic_clock_does_not()
    {
        using Simulation simulation = Start();

        simulation.RunUntil(TimeSpan.FromSeconds(1.2));
        Assert.Equal(Hour, WallOffset(simulation, 2));
        Assert.Equal(TimeSpan.Zero, MonotonicOffset(simulation, 2));

        simulation.RunUntil(TimeSpan.FromSeconds(2.2));
        Assert.Equal(TimeSpan.Zero, WallOffset(simulation, 2));
        Assert.Equal(-Hour, WallOffset(simulation, 3));
        Assert.Equal(TimeSpan.Zero, MonotonicOffset(simulation, 3));
    }

    [Fact]
    public void No_peer_is_ever_suspected_and_the_restart_behind_the_clock_is_seen_as_a_restart()
    {
        using Simulation simulation = Start();
        SimulationJournal journal = simulation.Run();

        Assert.Empty(journal.OfType<PeerSuspected>());
        PeerRestarted[] restarted = [.. journal.OfType<PeerRestarted>()];
        Assert.Equal([1u, 2u], restarted.Select(r => r.Observer).Order());
        Assert.All(restarted, r => Assert.Equal((3u, 2u), (r.Peer, r.Incarnation)));
        foreach (uint node in (uint[])[1, 2, 3])
        {
            Assert.All(simulation.Agent(node)!.GetPeers(), p => Assert.Equal(PeerState.Up, p.State));
        }

        // Heartbeats kept flowing every interval both ways, skew or not.
        Assert.DoesNotContain(journal.OfType<FrameLost>(), f => f.At < TimeSpan.FromSeconds(2.5));
        Assert.Equal(journal.OfType<FrameSent>().Count(f => f.From == 1), journal.OfType<FrameSent>().Count(f => f.From == 2));
    }
}
