using Failover.Sdk.Simulation;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks;

/// <summary>The scenarios the simulator benchmarks and scale runs share.</summary>
internal static class SimulatorWorkload
{
    /// <summary>About how many events one benchmark run fires, whatever the node count.</summary>
    public const long BenchmarkEvents = 800_000;

    /// <summary>
    /// <paramref name="nodes"/> nodes on one LAN (the LAN profile: 100 µs, ±20 µs), every
    /// node heartbeating every other every 10 ms (<see cref="AgentProfile.Fast"/>), frames
    /// counted but not journaled, for as many whole virtual seconds as make about
    /// <see cref="BenchmarkEvents"/> events: each 10 ms, every node's heartbeat and watch
    /// timers fire and every other node's heartbeat arrives, nodes × (nodes + 1) events.
    /// </summary>
    /// <remarks>
    /// A run of a few hundred milliseconds, not a few dozen: short runs, each after a
    /// fresh setup (whose DI containers make the JIT compile new code), kept the JIT from
    /// ever finishing the tiering of the loop's methods, and measured unoptimised code.
    /// </remarks>
    public static ScenarioDefinition FullMesh(int nodes) =>
        Scenario.Create(seed: 1)
            .SingleLan(nodes, LinkProfile.Lan)
            .FullMesh()
            .Agent(AgentProfile.Fast)
            .RecordFrames(false)
            .Lasting(TimeSpan.FromSeconds(Math.Max(1, BenchmarkEvents / ((long)nodes * (nodes + 1) * 100))))
            .Build();

    /// <summary>Runs <paramref name="definition"/> to its end and counts the events; deterministic, so every run counts the same.</summary>
    public static long CountEvents(ScenarioDefinition definition)
    {
        using var simulation = new Simulation.Simulation(definition);
        long before = simulation.Time.EventsRun;
        simulation.Run();
        return simulation.Time.EventsRun - before;
    }
}
