using System.Diagnostics;
using Simulator = Failover.Sdk.Simulation.Simulation;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// The mistake rate in the simulator (the inverse of Chen, Toueg and Aguilera's T_MR): real
/// agents on one LAN, no fault at all, every <see cref="PeerSuspected"/> after the warm-up
/// counted as a false suspicion.
/// </summary>
internal static class FalseSuspicions
{
    public static FalseSuspicionResult Run(AgentProfile agent, LinkProfile link, int nodes, TimeSpan watched, ulong seed)
    {
        long wallStart = Stopwatch.GetTimestamp();

        // The same warm-up as the crash runs: φ's history full before anything counts.
        TimeSpan warmUp = agent.HeartbeatInterval * 1200;
        ScenarioDefinition scenario = Scenario.Create(seed)
            .SingleLan(nodes, link)
            .Agent(agent)
            .RecordFrames(false)
            .Lasting(warmUp + watched)
            .Build();
        using var simulation = new Simulator(scenario);
        simulation.Run();
        int mistakes = simulation.Journal.OfType<PeerSuspected>().Count(s => s.At > warmUp);
        return new FalseSuspicionResult(mistakes, watched * (nodes * (nodes - 1)), Stopwatch.GetElapsedTime(wallStart));
    }
}
