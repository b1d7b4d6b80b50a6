using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Journal;

/// <summary>One small real run shared by the timeline tests: a crash, a NIC failure, a hang, a switch failure and a partition.</summary>
public sealed class TimelineRun
{
    public TimelineRun()
    {
        Scenario = Build();
        using var simulation = new Simulation(Scenario);
        Journal = simulation.Run();
        FramesSent = simulation.FramesSent;
        FramesLost = simulation.FramesLost;
        FramesDelivered = simulation.FramesDelivered;
    }

    public ScenarioDefinition Scenario { get; }

    public SimulationJournal Journal { get; }

    public long FramesSent { get; }

    public long FramesLost { get; }

    public long FramesDelivered { get; }

    public static ScenarioDefinition Build() => Failover.Sdk.Simulation.Scenarios.Scenario.Create(seed: 7)
        .TwoSites(nodesPerSite: 2)
        .CrashNode(3, at: Seconds(5), lasting: Seconds(5))
        .FailNic(2, path: 1, at: Seconds(8), lasting: Seconds(4))
        .HangProcess(4, at: Seconds(14), lasting: Seconds(2))
        .FailSwitch("b2", at: Seconds(17), lasting: Seconds(2))
        .Partition(Seconds(20), Seconds(2), [1, 2], [3, 4])
        .Lasting(Seconds(24))
        .Build();

    public static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>The entries that are a pair's first trust with nothing said about the pair before: the start-up handshake.</summary>
    public static HashSet<JournalEntry> FirstContacts(IEnumerable<JournalEntry> journal)
    {
        var seen = new HashSet<(uint, uint)>();
        var first = new HashSet<JournalEntry>(ReferenceEqualityComparer.Instance);
        foreach (JournalEntry entry in journal)
        {
            (uint, uint)? pair = entry switch
            {
                PeerTrusted e => (e.Observer, e.Peer),
                PeerSuspected e => (e.Observer, e.Peer),
                PeerRestarted e => (e.Observer, e.Peer),
                _ => null,
            };
            if (pair is { } p && seen.Add(p) && entry is PeerTrusted)
            {
                first.Add(entry);
            }
        }

        return first;
    }

    /// <summary>Seconds with three decimals, rounded half away from zero: computed apart from the renderer's own formatting.</summary>
    public static string Secs(TimeSpan at) =>
        Math.Round((decimal)at.Ticks / TimeSpan.TicksPerSecond, 3, MidpointRounding.AwayFromZero).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A span below a second in milliseconds with one decimal, as the timelines print it.</summary>
    public static string Millis(TimeSpan span)
    {
        Assert.True(span < TimeSpan.FromSeconds(1), $"{span} is not below a second.");
        return Math.Round((decimal)span.Ticks / TimeSpan.TicksPerMillisecond, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " ms";
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="culture"/> as the thread's culture.</summary>
    public static T InCulture<T>(string culture, Func<T> action)
    {
        System.Globalization.CultureInfo before = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(culture);
        try
        {
            return action();
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }
}
