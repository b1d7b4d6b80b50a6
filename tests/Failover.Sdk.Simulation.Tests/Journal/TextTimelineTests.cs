using System.Globalization;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using static Failover.Sdk.Simulation.Tests.Journal.TimelineRun;

namespace Failover.Sdk.Simulation.Tests.Journal;

/// <summary>The text timeline of a real run: one line per noticed event in time order, and detection delays read off the journal.</summary>
public sealed class TextTimelineTests : IClassFixture<TimelineRun>
{
    private readonly TimelineRun _run;

    public TextTimelineTests(TimelineRun run) => _run = run;

    private static string[] EventLines(string text) => [.. text.Split('\n').TakeWhile(line => line.Length > 0)];

    [Fact]
    public void Lines_follow_the_journal_in_time_order_without_frames_or_first_contacts()
    {
        string text = TextTimeline.Render(_run.Journal);
        string[] lines = EventLines(text);

        HashSet<JournalEntry> firstContacts = FirstContacts(_run.Journal);
        JournalEntry[] expected = [.. _run.Journal.Where(e => e is not (FrameSent or FrameLost or FrameDelivered) && !firstContacts.Contains(e))];
        Assert.Equal(expected.Length, lines.Length);
        Assert.NotEmpty(firstContacts);
        TimeSpan previous = TimeSpan.Zero;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimStart();
            TimeSpan at = TimeSpan.FromSeconds(double.Parse(line[..line.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
            Assert.True(at >= previous, $"Line {i} goes back in time: {line}");
            Assert.StartsWith($"{Secs(expected[i].At)} s  ", line, StringComparison.Ordinal);
            previous = at;
        }

        // Times are right-aligned to the widest, the run's last instant (24.000 s).
        Assert.Contains("   5.000 s  x fault     node 3 crashes", lines);
        Assert.Contains("  10.000 s  + heal      node 3 boots", lines);
        Assert.Contains("  10.000 s  > start     node 3 starts as incarnation 2", lines);
        Assert.Contains("  17.000 s  x fault     switch b2 fails", lines);
        Assert.DoesNotContain(lines, l => l.Contains("frame", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_suspicion_and_restart_has_its_line()
    {
        string[] lines = EventLines(TextTimeline.Render(_run.Journal));
        PeerSuspected[] suspicions = [.. _run.Journal.OfType<PeerSuspected>()];
        PeerRestarted[] restarts = [.. _run.Journal.OfType<PeerRestarted>()];
        Assert.NotEmpty(suspicions);
        Assert.NotEmpty(restarts);

        foreach (PeerSuspected e in suspicions)
        {
            Assert.Contains($"{Secs(e.At)} s  ! suspect   node {e.Observer} suspects node {e.Peer} (silent {Millis(e.Silence)})", lines.Select(l => l.Trim()));
        }

        foreach (PeerRestarted e in restarts)
        {
            Assert.Contains($"{Secs(e.At)} s  @ restart   node {e.Observer} sees node {e.Peer} back as incarnation {e.Incarnation}", lines.Select(l => l.Trim()));
        }

        Assert.Equal(suspicions.Length, lines.Count(l => l.Contains(" ! suspect ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Detection_delays_run_from_the_fault_to_the_first_and_last_peer_suspicion()
    {
        string text = TextTimeline.Render(_run.Journal);

        foreach ((uint node, TimeSpan at, TimeSpan healed, string fault) in new[] { (3u, Seconds(5), Seconds(10), "node 3 crashes"), (4u, Seconds(14), Seconds(16), "process on node 4 hangs") })
        {
            // Each observer's first suspicion of the node while the fault lasts.
            (uint Observer, TimeSpan Delay)[] firsts = [.. _run.Journal.OfType<PeerSuspected>()
                .Where(e => e.Peer == node && e.At >= at && e.At <= healed)
                .GroupBy(e => e.Observer)
                .Select(g => (g.Key, g.Min(e => e.At) - at))];
            Assert.Equal(3, firsts.Length);
            (uint firstObserver, TimeSpan first) = firsts.OrderBy(f => f.Delay).ThenBy(f => f.Observer).First();
            (uint lastObserver, TimeSpan last) = firsts.OrderByDescending(f => f.Delay).ThenBy(f => f.Observer).First();
            Assert.Contains($"{Secs(at)} s  {fault}: suspected by 3 peers, first after {Millis(first)} (node {firstObserver}), last after {Millis(last)} (node {lastObserver})\n", text);
        }

        PathSuspected[] pathSuspicions = [.. _run.Journal.OfType<PathSuspected>().Where(e => e.Peer == 2 && e.Path == 1 && e.Observer != 2 && e.At >= Seconds(8) && e.At <= Seconds(12))];
        string nic = pathSuspicions.Length == 0
            ? "8.000 s  NIC 2/1 fails: no peer suspected path 1 of node 2 before the heal at 12.000 s\n"
            : $"8.000 s  NIC 2/1 fails: path 1 of node 2 suspected by {pathSuspicions.Select(e => e.Observer).Distinct().Count()} peer";
        Assert.Contains(nic, text);

        // Faults of the network have no one node to suspect.
        Assert.DoesNotContain("switch b2 fails:", text);
        Assert.DoesNotContain("partition {1,2} | {3,4}:", text);
    }

    [Fact]
    public void Summary_counts_first_contacts_and_frames_as_the_run_did()
    {
        string text = TextTimeline.Render(_run.Journal);
        HashSet<JournalEntry> firstContacts = FirstContacts(_run.Journal);

        Assert.Contains($"first contacts: {firstContacts.Count} (observer, peer) pairs trusted each other first, the last at {Secs(firstContacts.Max(e => e.At))} s\n", text);
        long duplicates = _run.Journal.OfType<FrameDelivered>().Count(e => e.Duplicate);
        Assert.Contains($"frames: {_run.FramesSent} sent, {_run.FramesLost} lost (", text);
        Assert.Contains($", {_run.FramesDelivered} delivered ({duplicates} duplicates)\n", text);
        foreach (IGrouping<FrameLossReason, FrameLost> reason in _run.Journal.OfType<FrameLost>().GroupBy(e => e.Reason))
        {
            Assert.Contains($"{reason.Key} {reason.Count()}", text);
        }
    }

    [Fact]
    public void Options_print_first_contacts_unicode_marks_or_no_summary()
    {
        string plain = TextTimeline.Render(_run.Journal);
        string all = TextTimeline.Render(_run.Journal, new TextTimelineOptions { FirstContacts = true, Unicode = true });
        string bare = TextTimeline.Render(_run.Journal, new TextTimelineOptions { Summary = false });

        Assert.Equal(EventLines(plain).Length + FirstContacts(_run.Journal).Count, EventLines(all).Length);
        Assert.Contains("   5.000 s  \u2717 fault     node 3 crashes\n", all);
        Assert.DoesNotContain("first contacts:", all);
        Assert.True(plain.All(char.IsAscii), "The default timeline is plain ASCII.");
        Assert.Equal(string.Concat(EventLines(plain).Select(l => l + "\n")), bare);
    }

    [Fact]
    public void Same_journal_gives_the_same_text_in_any_culture()
    {
        string invariant = TimelineRun.InCulture("", () => TextTimeline.Render(_run.Journal));
        string german = TimelineRun.InCulture("de-DE", () => TextTimeline.Render(_run.Journal));
        string arabic = TimelineRun.InCulture("ar-SA", () => TextTimeline.Render(_run.Journal));

        Assert.Equal(invariant, german);
        Assert.Equal(invariant, arabic);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        TextTimeline.Write(_run.Journal, writer);
        Assert.Equal(invariant, writer.ToString());
    }

    [Fact]
    public void A_journal_without_frames_says_so()
    {
        using var simulation = new Simulation(Failover.Sdk.Simulation.Scenarios.Scenario.Create(1).SingleLan(2).RecordFrames(false).Lasting(Seconds(1)).Build());
        string text = TextTimeline.Render(simulation.Run());

        Assert.EndsWith("frames: none journaled\n", text);
        Assert.Contains("  0.000 s  > start     node 2 starts as incarnation 1\n", text);
    }

    [Fact]
    public void Path_detection_counts_the_peers_of_the_failed_nic_while_it_is_down()
    {
        var nic = new NicFailure(2, 1);
        var journal = new SimulationJournal();
        journal.Add(new FaultInjected(Seconds(8), nic));
        journal.Add(new PathSuspected(Seconds(8.05), Observer: 2, Peer: 1, Path: 1, Seconds(0.3)));   // the failed node itself: not a peer noticing it
        journal.Add(new PathSuspected(Seconds(8.2), Observer: 1, Peer: 2, Path: 1, Seconds(0.3)));
        journal.Add(new PathSuspected(Seconds(8.25), Observer: 3, Peer: 2, Path: 2, Seconds(0.3)));   // another path
        journal.Add(new PathSuspected(Seconds(8.3), Observer: 3, Peer: 2, Path: 1, Seconds(0.3)));
        journal.Add(new PathTrusted(Seconds(8.4), Observer: 3, Peer: 2, Path: 1));
        journal.Add(new PathSuspected(Seconds(8.9), Observer: 3, Peer: 2, Path: 1, Seconds(0.3)));    // flaps: its first suspicion counts
        journal.Add(new FaultHealed(Seconds(9), nic));
        journal.Add(new PathSuspected(Seconds(9.5), Observer: 4, Peer: 2, Path: 1, Seconds(0.3)));    // after the repair

        string text = TextTimeline.Render(journal);

        Assert.Contains("  8.200 s  ? path-down node 1 loses node 2 on path 1 (silent 300.0 ms)\n", text);
        Assert.Contains("  8.400 s  ^ path-up   node 3 hears node 2 on path 1 again\n", text);
        Assert.Contains("  8.000 s  NIC 2/1 fails: path 1 of node 2 suspected by 2 peers, first after 200.0 ms (node 1), last after 300.0 ms (node 3)\n", text);
    }
}
