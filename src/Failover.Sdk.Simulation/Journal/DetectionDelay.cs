using Failover.Sdk.Simulation.Faults;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// How long the peers took to notice a fault: from the injection to the first and to the
/// last peer's first suspicion while the fault lasted. Only faults the agents should notice
/// have one: a node or process that stops answering (its peers suspect the node), or a
/// failed NIC (its peers suspect that node's path).
/// </summary>
/// <param name="Span">The fault.</param>
/// <param name="Node">The node the peers should suspect.</param>
/// <param name="Path">For a NIC failure, the path they should suspect; null when the whole node.</param>
/// <param name="Observers">How many peers suspected it while the fault lasted.</param>
/// <param name="First">The earliest of those suspicions, and its observer; null when none.</param>
/// <param name="Last">The latest peer's first suspicion, and its observer; null when none.</param>
internal sealed record DetectionDelay(FaultSpan Span, uint Node, ushort? Path, int Observers, (TimeSpan Delay, uint Observer)? First, (TimeSpan Delay, uint Observer)? Last)
{
    /// <summary>The detection delay of every fault in <paramref name="journal"/> that has one, in injection order.</summary>
    public static List<DetectionDelay> Compute(IReadOnlyList<JournalEntry> journal)
    {
        var suspicions = new List<(TimeSpan At, uint Observer, uint Peer, ushort? Path)>();
        foreach (JournalEntry entry in journal)
        {
            switch (entry)
            {
                case PeerSuspected e:
                    suspicions.Add((e.At, e.Observer, e.Peer, null));
                    break;
                case PathSuspected e:
                    suspicions.Add((e.At, e.Observer, e.Peer, e.Path));
                    break;
            }
        }

        var delays = new List<DetectionDelay>();
        foreach (FaultSpan span in FaultSpan.Pair(journal))
        {
            (uint Node, ushort? Path)? target = span.Fault switch
            {
                NodeCrash f => (f.Node, null),
                ProcessCrash f => (f.Node, null),
                ProcessHang f => (f.Node, null),
                NodePause f => (f.Node, null),
                NicFailure f => (f.Node, f.Path),
                _ => null,
            };
            if (target is not { } faulted)
            {
                continue;
            }

            (uint node, ushort? path) = faulted;

            TimeSpan until = span.Healed ?? TimeSpan.MaxValue;
            var firstByObserver = new SortedDictionary<uint, TimeSpan>();
            foreach ((TimeSpan at, uint observer, uint peer, ushort? suspectedPath) in suspicions)
            {
                if (at >= span.Injected && at <= until && peer == node && suspectedPath == path && observer != node)
                {
                    firstByObserver.TryAdd(observer, at - span.Injected);
                }
            }

            (TimeSpan, uint)? first = null;
            (TimeSpan, uint)? last = null;
            foreach ((uint observer, TimeSpan delay) in firstByObserver)
            {
                if (first is not { } f || delay < f.Item1)
                {
                    first = (delay, observer);
                }

                if (last is not { } l || delay > l.Item1)
                {
                    last = (delay, observer);
                }
            }

            delays.Add(new DetectionDelay(span, node, path, firstByObserver.Count, first, last));
        }

        return delays;
    }
}
