using FsCheck;
using FsCheck.Xunit;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>Property (a): a node that crashes for good is suspected by every live node watching it, within the fixed detector's bound.</summary>
public sealed class CrashDetectionProperties
{
    /// <summary>
    /// The bound, from the crash instant C, for a watcher whose frames from the crashed node
    /// take between Dmin and Dmax (the route's <see cref="RouteDelay"/>, reordering included):
    /// <list type="bullet">
    /// <item><description>
    /// The node's last heartbeat left at some s in [C − I, C] (one every interval I; the
    /// phase of C against the ticks is random) and, with no loss, reached the watcher at
    /// s + d, d in [Dmin, Dmax]. That arrival is the watcher's last "heard".
    /// </description></item>
    /// <item><description>
    /// A fixed detector suspects once the silence since then exceeds k × I, and the watch
    /// loop notices within <see cref="Detection.WatchGranularity"/> (1 ms).
    /// </description></item>
    /// </list>
    /// So k × I − I + Dmin &lt; detection − C ≤ k × I + Dmax + 1 ms: the "k × interval, plus the
    /// latency of the heartbeat in flight, plus one interval of phase" of the failover
    /// literature, made exact. The silence the watcher reports is within (k × I, k × I + 1 ms].
    /// </summary>
    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public void A_crashed_node_is_suspected_by_every_live_watcher_within_the_detector_bound(DoNotSize<ulong> seed)
    {
        RandomWorld world = RandomWorld.Draw(seed.Item, new WorldOptions(Reordering: true));
        SimulationRandom random = new SimulationRandom(seed.Item).Fork("crash");
        uint crashed = 1 + (uint)random.Next(world.Nodes);

        // After everyone has heard everyone for a while, at any phase against the heartbeat ticks.
        TimeSpan crashAt = (world.Interval * (5 + random.Next(10))) + TimeSpan.FromTicks((long)(random.NextDouble() * world.Interval.Ticks));
        TimeSpan latest = Detection.Latest(world.Agent, world.CrossSite.Union(RouteDelay.Of(world.Lan)));
        ScenarioDefinition definition = world.Scenario
            .CrashNode(crashed, crashAt)
            .Lasting(crashAt + latest + (2 * world.Interval))
            .Build();

        using var simulation = new Simulation(definition);
        SimulationJournal journal = simulation.Run();

        uint[] watchers = [.. PeerPlan.For(definition).Where(p => p.Key != crashed && p.Value.Any(w => w.Peer == crashed)).Select(p => p.Key)];
        PropertyCheck.That(watchers.Length > 0, definition, () => $"node {crashed} has no watcher");
        PeerSuspected[] suspected = [.. journal.OfType<PeerSuspected>()];
        foreach (uint watcher in watchers)
        {
            RouteDelay route = world.Between(watcher, crashed);
            PeerSuspected[] mine = [.. suspected.Where(s => s.Observer == watcher)];
            PropertyCheck.That(mine.Length == 1 && mine[0].Peer == crashed, definition, () => $"node {watcher} suspected [{string.Join(", ", mine.Select(s => $"{s.Peer} at {s.At}"))}], expected only node {crashed} (crashed at {crashAt})");
            TimeSpan after = mine[0].At - crashAt;
            PropertyCheck.That(after > Detection.Earliest(world.Agent, route) && after <= Detection.Latest(world.Agent, route), definition, () =>
                $"node {watcher} suspected node {crashed} {after} after its crash; the bound is ({Detection.Earliest(world.Agent, route)}, {Detection.Latest(world.Agent, route)}] for route {route}");
            PropertyCheck.That(mine[0].Silence > Detection.Timeout(world.Agent) && mine[0].Silence <= Detection.Timeout(world.Agent) + Detection.WatchGranularity, definition, () =>
                $"node {watcher} reported a silence of {mine[0].Silence}; expected just over {Detection.Timeout(world.Agent)}");
        }

        // Nobody else: only watchers suspect, and only the crashed node.
        PropertyCheck.That(suspected.Length == watchers.Length, definition, () => $"{suspected.Length} suspicions for {watchers.Length} watchers: {string.Join("; ", suspected.Select(s => s.ToString()))}");
    }
}
