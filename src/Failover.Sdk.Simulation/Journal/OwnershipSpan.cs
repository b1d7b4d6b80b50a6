namespace Failover.Sdk.Simulation.Journal;

/// <summary>A term of ownership read off a journal: who held a workload under which token, from when, until when and why.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Node">The owner.</param>
/// <param name="Token">The term's fencing token.</param>
/// <param name="From">When the term began.</param>
/// <param name="To">When it ended; null when it had not by the end of the journal.</param>
/// <param name="Reason">Why it ended; null when it had not.</param>
internal sealed record OwnershipSpan(string Workload, uint Node, long Token, TimeSpan From, TimeSpan? To, string? Reason)
{
    /// <summary>Every term in <paramref name="journal"/>, in the order they began.</summary>
    public static List<OwnershipSpan> Compute(IEnumerable<JournalEntry> journal)
    {
        var spans = new List<OwnershipSpan>();
        var open = new Dictionary<(uint Node, string Workload, long Token), int>();
        foreach (JournalEntry entry in journal)
        {
            switch (entry)
            {
                case OwnershipAcquired e:
                    open[(e.Node, e.Workload, e.Token)] = spans.Count;
                    spans.Add(new OwnershipSpan(e.Workload, e.Node, e.Token, e.At, null, null));
                    break;
                case OwnershipEnded e when open.Remove((e.Node, e.Workload, e.Token), out int index):
                    spans[index] = spans[index] with { To = e.At, Reason = e.Reason };
                    break;
            }
        }

        return spans;
    }

    /// <summary>
    /// One line per term, saying how the workload came to it: <c>workload w starts on node 3 with
    /// token 6</c>, <c>workload w moved 3 -> 4 with token 9 (held by 3 since 0.158 s; its term
    /// ended at 5.000 s: its node crashed)</c>, or <c>back on node 4</c> when the same node takes
    /// it again.
    /// </summary>
    public static IEnumerable<(TimeSpan At, string Text)> Describe(IReadOnlyList<OwnershipSpan> spans)
    {
        var last = new Dictionary<string, OwnershipSpan>(StringComparer.Ordinal);
        foreach (OwnershipSpan span in spans)
        {
            if (!last.TryGetValue(span.Workload, out OwnershipSpan? previous))
            {
                yield return (span.From, TimelineText.Invariant($"workload {span.Workload} starts on node {span.Node} with token {span.Token}"));
            }
            else
            {
                string how = previous.Node == span.Node
                    ? TimelineText.Invariant($"back on node {span.Node}")
                    : TimelineText.Invariant($"moved {previous.Node} -> {span.Node}");
                string ended = previous.To is { } to
                    ? $"its term ended at {TimelineText.Seconds(to)} s: {previous.Reason}"
                    : "its term had not ended by the end of the run";
                yield return (span.From, TimelineText.Invariant($"workload {span.Workload} {how} with token {span.Token} (held by {previous.Node} since {TimelineText.Seconds(previous.From)} s; {ended})"));
            }

            last[span.Workload] = span;
        }
    }
}
