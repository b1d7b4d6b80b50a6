using Failover.Sdk.Simulation.Faults;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>One fault from its injection to its heal; <see cref="Healed"/> is null for a fault still on when the journal ends.</summary>
internal sealed record FaultSpan(Fault Fault, TimeSpan Injected, TimeSpan? Healed)
{
    /// <summary>
    /// Pairs every injection in <paramref name="journal"/> with its heal, in injection order.
    /// The simulator heals the very instance it injected, so identity decides; a heal that is
    /// an equal copy (a hand-built journal) goes to the oldest open injection that reads the same.
    /// </summary>
    public static List<FaultSpan> Pair(IEnumerable<JournalEntry> journal)
    {
        var spans = new List<FaultSpan>();
        var open = new List<int>();
        foreach (JournalEntry entry in journal)
        {
            switch (entry)
            {
                case FaultInjected injected:
                    open.Add(spans.Count);
                    spans.Add(new FaultSpan(injected.Fault, injected.At, null));
                    break;
                case FaultHealed healed:
                    int match = open.FindIndex(i => ReferenceEquals(spans[i].Fault, healed.Fault));
                    if (match < 0)
                    {
                        string text = healed.Fault.Describe();
                        match = open.FindIndex(i => spans[i].Fault.GetType() == healed.Fault.GetType() && spans[i].Fault.Describe() == text);
                    }

                    if (match >= 0)
                    {
                        spans[open[match]] = spans[open[match]] with { Healed = healed.At };
                        open.RemoveAt(match);
                    }

                    break;
            }
        }

        return spans;
    }

    /// <summary>The node the fault strikes, or null for a fault of the network (switch, WAN link, partition).</summary>
    public uint? Node => Fault switch
    {
        NodeCrash f => f.Node,
        ProcessCrash f => f.Node,
        ProcessHang f => f.Node,
        NodePause f => f.Node,
        NicFailure f => f.Node,
        ClockSkew f => f.Node,
        ClockDrift f => f.Node,
        _ => null,
    };
}
