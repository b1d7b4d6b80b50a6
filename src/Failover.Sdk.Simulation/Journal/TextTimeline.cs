using System.Globalization;
using System.Text;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// Renders a <see cref="SimulationJournal"/> for a human: one line per thing the run did or
/// the agents noticed (frames left out), then how long the peers took to notice each fault and,
/// with coordination, how each workload moved.
/// </summary>
/// <remarks>
/// The output depends on the journal alone: the invariant culture, <c>\n</c> line ends and
/// times formatted from whole ticks make it the same bytes on every machine.
/// <example>
/// <code>
///   5.000 s  x fault     node 3 crashes
///   5.301 s  ! suspect   node 4 suspects node 3 (silent 300.9 ms)
///  10.019 s  @ restart   node 1 sees node 3 back as incarnation 2
/// </code>
/// </example>
/// </remarks>
public static class TextTimeline
{
    /// <summary>The timeline as one string.</summary>
    public static string Render(SimulationJournal journal, TextTimelineOptions? options = null)
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        {
            Write(journal, writer, options);
        }

        return text.ToString();
    }

    /// <summary>Writes the timeline to <paramref name="writer"/>, each line ended by <c>\n</c>.</summary>
    public static void Write(SimulationJournal journal, TextWriter writer, TextTimelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= TextTimelineOptions.Default;

        int width = TimelineText.Seconds(journal.Count == 0 ? TimeSpan.Zero : journal[^1].At).Length;
        var firstContacts = new FirstContacts();
        foreach (JournalEntry entry in journal)
        {
            if (TimelineText.Describe(entry) is not { } line || (firstContacts.IsFirstContact(entry) && !options.FirstContacts))
            {
                continue;
            }

            writer.Write(Line(entry.At, width, $"{TimelineText.Mark(line.Kind, options.Unicode)} {TimelineText.Word(line.Kind),-9} {line.Text}"));
        }

        if (options.Summary)
        {
            WriteSummary(journal, writer, options, width, firstContacts);
        }
    }

    private static void WriteSummary(SimulationJournal journal, TextWriter writer, TextTimelineOptions options, int width, FirstContacts firstContacts)
    {
        List<DetectionDelay> delays = DetectionDelay.Compute(journal);
        if (delays.Count > 0)
        {
            writer.Write("\ndetection delays (from the fault to the first and the last peer's suspicion)\n");
            foreach (DetectionDelay delay in delays)
            {
                writer.Write(Line(delay.Span.Injected, width, $"{delay.Span.Fault.Describe()}: {Detection(delay)}"));
            }
        }

        List<OwnershipSpan> terms = OwnershipSpan.Compute(journal);
        if (terms.Count > 0)
        {
            writer.Write("\nownership (each term of each workload, and its fencing token)\n");
            foreach ((TimeSpan at, string text) in OwnershipSpan.Describe(terms))
            {
                writer.Write(Line(at, width, text));
            }

            int refused = journal.OfType<FencedWriteRefused>().Count();
            writer.Write(TimelineText.Invariant($"fenced writes refused: {refused}\n"));
        }

        writer.Write('\n');
        if (firstContacts.Count > 0 && !options.FirstContacts)
        {
            writer.Write(TimelineText.Invariant($"first contacts: {firstContacts.Count} (observer, peer) pairs trusted each other first, the last at {TimelineText.Seconds(firstContacts.Last)} s\n"));
        }

        if (options.FrameCounts)
        {
            writer.Write(FrameCounts(journal));
        }
    }

    private static string Detection(DetectionDelay delay)
    {
        // A node fault names its node already; a NIC failure is detected on a path.
        string target = delay.Path is { } path ? TimelineText.Invariant($"path {path} of node {delay.Node}") : TimelineText.Invariant($"node {delay.Node}");
        string suspected = delay.Path is null ? "suspected" : $"{target} suspected";
        if (delay is not { First: { } first, Last: { } last })
        {
            string until = delay.Span.Healed is { } healed ? $"before the heal at {TimelineText.Seconds(healed)} s" : "by the end of the journal";
            return $"no peer suspected {target} {until}";
        }

        if (delay.Observers == 1)
        {
            return TimelineText.Invariant($"{suspected} by 1 peer, after {TimelineText.Duration(first.Delay)} (node {first.Observer})");
        }

        string peers = TimelineText.Invariant($"{delay.Observers} peers");
        return TimelineText.Invariant($"{suspected} by {peers}, first after {TimelineText.Duration(first.Delay)} (node {first.Observer}), last after {TimelineText.Duration(last.Delay)} (node {last.Observer})");
    }

    private static string FrameCounts(SimulationJournal journal)
    {
        long sent = 0, delivered = 0, duplicates = 0;
        long[] lost = new long[Enum.GetValues<FrameLossReason>().Length];
        foreach (JournalEntry entry in journal)
        {
            switch (entry)
            {
                case FrameSent:
                    sent++;
                    break;
                case FrameDelivered e:
                    delivered++;
                    duplicates += e.Duplicate ? 1 : 0;
                    break;
                case FrameLost e:
                    lost[(int)e.Reason]++;
                    break;
            }
        }

        if (sent + delivered + lost.Sum() == 0)
        {
            return "frames: none journaled\n";
        }

        IEnumerable<string> reasons = Enum.GetValues<FrameLossReason>()
            .Where(r => lost[(int)r] > 0)
            .Select(r => TimelineText.Invariant($"{r} {lost[(int)r]}"));
        string why = lost.Sum() > 0 ? $" ({string.Join(", ", reasons)})" : "";
        return TimelineText.Invariant($"frames: {sent} sent, {lost.Sum()} lost{why}, {delivered} delivered ({duplicates} duplicates)\n");
    }

    private static string Line(TimeSpan at, int width, string rest) => $"  {TimelineText.Seconds(at).PadLeft(width)} s  {rest}\n";
}
