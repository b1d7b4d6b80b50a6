using System.Diagnostics;
using Simulator = Failover.Sdk.Simulation.Simulation;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// Detection time in the simulator (Chen, Toueg and Aguilera's T_D): real agents on one LAN,
/// the last node crashed again and again (<see cref="NodeCrash"/>), and for every other node
/// the time from the crash to its <see cref="PeerSuspected"/> of the victim, read from the journal.
/// </summary>
internal static class CrashDetection
{
    public static DetectionResult Run(AgentProfile agent, LinkProfile link, CrashPlan plan, ulong seed)
    {
        long wallStart = Stopwatch.GetTimestamp();
        uint victim = (uint)plan.Observers + 1;
        ScenarioDefinition scenario = Scenario.Create(seed)
            .SingleLan(plan.Observers + 1, link)
            .Agent(agent)
            .RecordFrames(false)
            .Lasting(plan.Length(agent.HeartbeatInterval))
            .Build();

        // The crash instants are the benchmark's own draws, from the same seed: the run replays.
        var phase = new Random(unchecked((int)seed));
        using var simulation = new Simulator(scenario);
        simulation.RunUntil(plan.WarmUp);
        for (int i = 0; i < plan.Crashes; i++)
        {
            simulation.RunFor(TimeSpan.FromTicks(phase.NextInt64(agent.HeartbeatInterval.Ticks)));
            simulation.Inject(new NodeCrash(victim), plan.Downtime);
            simulation.RunFor(plan.Downtime + plan.Gap);
        }

        return Read(simulation.Journal, victim, simulation.Elapsed, Stopwatch.GetElapsedTime(wallStart));
    }

    /// <summary>Replays the journal: which observers trusted the victim at each crash, and when each suspected it.</summary>
    internal static DetectionResult Read(IEnumerable<JournalEntry> journal, uint victim, TimeSpan simulated, TimeSpan wallTime)
    {
        var detections = new List<TimeSpan>();
        var down = new Dictionary<uint, bool>();
        var crashedAt = new Dictionary<uint, TimeSpan>();
        int already = 0;
        int undetected = 0;
        foreach (JournalEntry entry in journal)
        {
            switch (entry)
            {
                case NodeStarted started when started.Node != victim:
                    // Not heard yet counts as suspected: only a trusted victim's crash is a detection to time.
                    down[started.Node] = true;
                    break;
                case PeerSuspected suspected when suspected.Peer == victim:
                    down[suspected.Observer] = true;
                    if (crashedAt.Remove(suspected.Observer, out TimeSpan crash))
                    {
                        detections.Add(suspected.At - crash);
                    }

                    break;
                case PeerTrusted trusted when trusted.Peer == victim:
                    down[trusted.Observer] = false;
                    break;
                case PeerRestarted restarted when restarted.Peer == victim:
                    down[restarted.Observer] = false;
                    break;
                case FaultInjected { Fault: NodeCrash c } when c.Node == victim:
                    foreach ((uint observer, bool isDown) in down)
                    {
                        if (isDown)
                        {
                            already++;
                        }
                        else
                        {
                            crashedAt[observer] = entry.At;
                        }
                    }

                    break;
                case FaultHealed { Fault: NodeCrash c } when c.Node == victim:
                    undetected += crashedAt.Count;
                    crashedAt.Clear();
                    break;
            }
        }

        return new DetectionResult(detections, already, undetected + crashedAt.Count, simulated, wallTime);
    }
}
