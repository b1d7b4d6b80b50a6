using Failover.Sdk.Simulation.Faults;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>A stretch of the run over which a node's <see cref="NodeCondition"/> held.</summary>
internal sealed record NodeConditionSpan(NodeCondition Condition, TimeSpan From, TimeSpan To)
{
    /// <summary>
    /// Each node's conditions from the start to <paramref name="end"/>, read off the journal:
    /// started and stopped agents, and hang and pause faults with their heals. Mirrors the
    /// simulator: a process that dies is no longer hung, a node that crashes no longer paused.
    /// </summary>
    /// <exception cref="ArgumentException">The journal names a node not in <paramref name="nodes"/>.</exception>
    public static Dictionary<uint, List<NodeConditionSpan>> Compute(IEnumerable<JournalEntry> journal, IEnumerable<uint> nodes, TimeSpan end)
    {
        var states = nodes.ToDictionary(n => n, _ => new State());
        foreach (JournalEntry entry in journal)
        {
            (uint Node, Action<State> Change)? change = entry switch
            {
                NodeStarted e => (e.Node, s => s.Running = true),
                NodeStopped e => (e.Node, s => (s.Running, s.Hung) = (false, false)),
                FaultInjected { Fault: ProcessHang f } => (f.Node, s => s.Hung = true),
                FaultHealed { Fault: ProcessHang f } => (f.Node, s => s.Hung = false),
                FaultInjected { Fault: NodePause f } => (f.Node, s => s.Paused = true),
                FaultHealed { Fault: NodePause f } => (f.Node, s => s.Paused = false),
                FaultInjected { Fault: NodeCrash f } => (f.Node, s => s.Paused = false),
                _ => null,
            };
            if (change is { } c)
            {
                if (!states.TryGetValue(c.Node, out State? state))
                {
                    throw new ArgumentException($"The journal names node {c.Node}, which the scenario does not have.", nameof(journal));
                }

                c.Change(state);
                state.Settle(entry.At);
            }
        }

        return states.ToDictionary(s => s.Key, s => s.Value.Close(end));
    }

    private sealed class State
    {
        private readonly List<NodeConditionSpan> _spans = [];
        private NodeCondition _condition = NodeCondition.Stopped;
        private TimeSpan _since;

        public bool Running { get; set; }

        public bool Hung { get; set; }

        public bool Paused { get; set; }

        /// <summary>Starts a new span at <paramref name="at"/> if the last change moved the condition.</summary>
        public void Settle(TimeSpan at)
        {
            NodeCondition now = !Running ? NodeCondition.Stopped : Hung || Paused ? NodeCondition.Frozen : NodeCondition.Running;
            if (now != _condition)
            {
                Add(at);
                _condition = now;
            }
        }

        public List<NodeConditionSpan> Close(TimeSpan end)
        {
            Add(end);
            return _spans;
        }

        private void Add(TimeSpan at)
        {
            if (at <= _since)
            {
                return;
            }

            // A condition that changed and changed back within one instant continues its span.
            if (_spans.Count > 0 && _spans[^1].Condition == _condition && _spans[^1].To == _since)
            {
                _spans[^1] = _spans[^1] with { To = at };
            }
            else
            {
                _spans.Add(new NodeConditionSpan(_condition, _since, at));
            }

            _since = at;
        }
    }
}
