using Failover.Sdk.Configuration;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Scenarios;

/// <summary>A run is a function of its definition: the same seed gives the same journal byte for byte, a saved scenario replays exactly.</summary>
public sealed class DeterminismTests
{
    private static readonly LinkProfile NoisyLan = new() { Latency = TimeSpan.FromMicroseconds(150), Jitter = TimeSpan.FromMicroseconds(60), Loss = 0.02, Duplication = 0.05, Reordering = 0.05 };
    private static readonly LinkProfile NoisyWan = new() { Latency = TimeSpan.FromMilliseconds(15), Jitter = TimeSpan.FromMilliseconds(4), Loss = 0.01, Duplication = 0.02, Reordering = 0.1 };

    /// <summary>Every random part of the model at once: faults drawn from the seed, jitter, loss, duplication and reordering on both LANs and WANs.</summary>
    private static ScenarioDefinition Noisy(ulong seed, FailoverDetectorKind detector = FailoverDetectorKind.Fixed)
    {
        LinkProfile lan = NoisyLan;
        LinkProfile wan = NoisyWan;
        return Scenario.Create(seed)
            .TwoSites(nodesPerSite: 2, lan, wan)
            .Agent(AgentProfile.Default with { Detector = detector })
            .RandomFaults(count: 8, from: TimeSpan.FromSeconds(1), until: TimeSpan.FromSeconds(6), maxDuration: TimeSpan.FromSeconds(2))
            .Lasting(TimeSpan.FromSeconds(8))
            .Build();
    }

    private static string Run(ScenarioDefinition definition)
    {
        using var simulation = new Simulation(definition);
        return simulation.Run().ToJsonLines();
    }

    [Theory]
    [InlineData(FailoverDetectorKind.Fixed)]
    [InlineData(FailoverDetectorKind.PhiAccrual)]
    public void The_same_seed_gives_the_same_journal_byte_for_byte(FailoverDetectorKind detector)
    {
        ScenarioDefinition definition = Noisy(seed: 20_261_123, detector);
        using var first = new Simulation(definition);
        SimulationJournal journal = first.Run();

        string again = Run(Noisy(seed: 20_261_123, detector));

        Assert.Equal(journal.ToJsonLines(), again);

        // Not vacuous: the run exercised every random draw the model makes.
        Assert.Contains(journal, e => e is FrameLost { Reason: FrameLossReason.Loss });
        Assert.Contains(journal, e => e is FrameDelivered { Duplicate: true });

        // Held back by reordering: slower than any draw across sites can be, but within one more crossing.
        TimeSpan drawn = RouteDelay.Of(NoisyLan with { Reordering = 0 }, NoisyWan with { Reordering = 0 }, NoisyLan with { Reordering = 0 }).Max;
        Assert.True(journal.OfType<FrameDelivered>().Count(d => d.Latency > drawn && d.Latency <= 2 * drawn) > 50);
        Assert.Equal(8, journal.Count(e => e is FaultInjected));
        Assert.Contains(journal, e => e is PeerSuspected);
    }

    [Fact]
    public void Different_seeds_give_different_journals()
    {
        string[] journals = [.. Enumerable.Range(1, 4).Select(seed => Run(Noisy((ulong)seed)))];

        Assert.Equal(journals.Length, journals.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_seed_changes_the_draws_even_without_random_faults()
    {
        // The fault schedule differs with the seed anyway; this isolates the network's own stream.
        var lan = new LinkProfile { Latency = TimeSpan.FromMicroseconds(100), Jitter = TimeSpan.FromMicroseconds(50) };
        string Jittered(ulong seed) => Run(Scenario.Create(seed).SingleLan(3, lan).Lasting(TimeSpan.FromSeconds(1)).Build());

        Assert.Equal(Jittered(5), Jittered(5));
        Assert.NotEqual(Jittered(5), Jittered(6));
    }

    [Fact]
    public void A_scenario_saved_as_json_and_parsed_back_replays_to_the_identical_journal()
    {
        ScenarioDefinition definition = Noisy(seed: 77);
        string expected = Run(definition);

        ScenarioDefinition parsed = ScenarioJson.Parse(ScenarioJson.Serialize(definition));

        Assert.Equal(expected, Run(parsed));
    }

    [Fact]
    public void A_scenario_saved_to_a_file_and_loaded_replays_to_the_identical_journal()
    {
        ScenarioDefinition definition = Noisy(seed: 78);
        string path = Path.Combine(Path.GetTempPath(), $"failover-scenario-{Guid.NewGuid():N}.json");
        try
        {
            ScenarioJson.Save(definition, path);
            ScenarioDefinition loaded = ScenarioJson.Load(path);

            Assert.Equal(Run(definition), Run(loaded));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
