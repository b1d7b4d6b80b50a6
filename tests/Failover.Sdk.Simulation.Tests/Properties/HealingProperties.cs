using FsCheck;
using FsCheck.Xunit;
using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>Property (c): once every fault has healed, every agent sees every peer it watches up again, within a bound, and stays so.</summary>
public sealed class HealingProperties
{
    /// <summary>
    /// Faults come from the builder's <c>RandomFaults</c> (any kind, overlapping freely), each
    /// lasting at most 15 intervals. Let H be the instant the last one heals. From H the
    /// network is healthy in the sense of property (b), so:
    /// <list type="bullet">
    /// <item><description>
    /// Every node heartbeats by H + I: a node booted, restarted or resumed at H does so at
    /// once (its start-up heartbeat, or the tick held while it was stalled); any other at its
    /// next tick, at most I away (a healed drift rescales the rest of the period to at most I).
    /// </description></item>
    /// <item><description>
    /// That heartbeat arrives by H + I + Dmax, and R − 1 more follow an interval apart each,
    /// none late (property (b)'s budget): a peer needing R heartbeats to be trusted again
    /// (the rise count) is trusted by H + R × I + Dmax.
    /// </description></item>
    /// </list>
    /// After that nothing may suspect it again: the run goes on for k + 5 intervals more.
    /// </summary>
    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public void Once_every_fault_heals_every_agent_sees_every_peer_up_within_the_bound(DoNotSize<ulong> seed)
    {
        RandomWorld world = RandomWorld.Draw(seed.Item, new WorldOptions(PhiAccrual: true, Reordering: true, Rise: true));
        SimulationRandom random = new SimulationRandom(seed.Item).Fork("faults");
        TimeSpan interval = world.Interval;
        ScenarioDefinition faulted = world.Scenario
            .RandomFaults(count: 1 + random.Next(4), from: interval * 3, until: interval * 20, maxDuration: interval * 15)
            .Lasting(TimeSpan.MaxValue / 2) // replaced below, once the last heal is known
            .Build();
        TimeSpan healed = faulted.Faults.Max(f => f.At + f.Duration!.Value);
        TimeSpan bound = (interval * world.Agent.RiseCount) + world.CrossSite.Union(RouteDelay.Of(world.Lan)).Max;
        ScenarioDefinition definition = faulted with { Duration = healed + bound + (interval * (world.Agent.MissedHeartbeats + 5)) };

        using var simulation = new Simulation(definition);
        simulation.RunUntil(healed + bound);

        foreach (uint node in definition.Nodes.Select(n => n.Id))
        {
            PeerStatus[]? peers = simulation.Agent(node)?.GetPeers().ToArray();
            PropertyCheck.That(peers is not null, definition, () => $"node {node} runs no agent at {healed + bound}, after every fault healed at {healed}");
            PropertyCheck.That(peers!.All(p => p.State == PeerState.Up), definition, () =>
                $"at {healed + bound} ({bound} after the last heal), node {node} sees {string.Join(", ", peers!.Select(p => $"{p.NodeId} {p.State} (silent {p.Silence})"))}");
        }

        SimulationJournal journal = simulation.Run();
        PeerSuspected[] late = [.. journal.OfType<PeerSuspected>().Where(s => s.At > healed + bound)];
        PropertyCheck.That(late.Length == 0, definition, () => $"suspected again after healing: {string.Join("; ", late.Select(s => s.ToString()))}");
    }
}
