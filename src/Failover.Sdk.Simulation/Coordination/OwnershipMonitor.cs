using Failover.Sdk.Coordination;
using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// Watches a run's coordination for split brain (BY-1) and counts what breaks, rather than
/// throwing, so a failing property prints every counterexample at once:
/// <list type="number">
/// <item><description>
/// <see cref="OwnershipRule.OverlappingTerms"/>: whenever a node begins a valid term for a
/// workload, no other node whose OS is up holds a valid term for it. Paused and hung nodes
/// count, judged by their own clocks (<see cref="OwnershipTerm.IsValid"/>); crashed ones hold
/// nothing.
/// </description></item>
/// <item><description>
/// <see cref="OwnershipRule.StaleWriteAccepted"/> and <see cref="OwnershipRule.ValidWriteRefused"/>:
/// a write the workload's fenced resource accepts under token T happens when no other node holds a
/// valid term with a larger token; a write it refuses comes from a node whose term is no longer valid.
/// </description></item>
/// <item><description>
/// <see cref="OwnershipRule.NotSettled"/>, checked on demand (<see cref="CheckSettled"/>) once the
/// faults have healed and a few lease lives have passed: each workload has exactly one owner in the
/// store, that node holds a valid term for it under the same token, and no other node does.
/// </description></item>
/// </list>
/// </summary>
/// <remarks>
/// Each workload writes to its own fenced resource (a <see cref="FencingTokenGuard"/>, standing for
/// a storage volume or a database row), reached without a network hop: a write takes effect at the
/// instant the workload makes it.
/// </remarks>
public sealed class OwnershipMonitor
{
    private readonly CoordinationCluster _cluster;
    private readonly SortedDictionary<string, FencingTokenGuard> _resources;
    private readonly List<OwnershipViolation> _violations = [];

    internal OwnershipMonitor(CoordinationCluster cluster, IEnumerable<string> workloads)
    {
        _cluster = cluster;
        _resources = new SortedDictionary<string, FencingTokenGuard>(workloads.ToDictionary(w => w, _ => new FencingTokenGuard(), StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The workloads, by id.</summary>
    public IReadOnlyList<string> Workloads => [.. _resources.Keys];

    /// <summary>Every rule broken so far, in order.</summary>
    public IReadOnlyList<OwnershipViolation> Violations => _violations;

    /// <summary>How many terms began (each checked against rule (a) when valid).</summary>
    public long TermsBegun { get; private set; }

    /// <summary>How many of those terms began already lapsed by their node's clock (a claim's reply that waited out a pause): never owners, not checked.</summary>
    internal long TermsBegunLapsed { get; private set; }

    /// <summary>How many writes the fenced resources accepted.</summary>
    public long WritesAccepted { get; private set; }

    /// <summary>How many writes the fenced resources refused.</summary>
    public long WritesRefused { get; private set; }

    /// <summary>The owner of <paramref name="workload"/> in the store now, or null.</summary>
    public OwnershipRecord? OwnerOf(string workload) => SimulationThread.Run(() =>
    {
        // Off the event loop: a read may expire a lease due this instant and notify its watchers.
        ValueTask<OwnershipRead> read = _cluster.Store.Inner.GetOwnerAsync(workload);
        return read.IsCompletedSuccessfully ? read.Result.Owner : throw new InvalidOperationException("The in-memory coordination store did not answer synchronously.");
    });

    /// <summary>The nodes whose live process holds a valid term for <paramref name="workload"/> now, by their own clocks, by node id.</summary>
    public IReadOnlyList<uint> ValidHolders(string workload) => [.. ValidTerms(workload).Select(t => t.Node)];

    /// <summary>The fenced resource <paramref name="workload"/> writes to: the newest token it accepted is <see cref="FencingTokenGuard.Newest"/>.</summary>
    /// <exception cref="KeyNotFoundException">The scenario has no such workload.</exception>
    public FencingTokenGuard Resource(string workload) => _resources[workload];

    /// <summary>
    /// Checks rule (c) now, recording and returning what breaks it: call it once every fault has
    /// healed and the run has settled for a few lease lives.
    /// </summary>
    public IReadOnlyList<OwnershipViolation> CheckSettled()
    {
        var found = new List<OwnershipViolation>();
        foreach (string workload in _resources.Keys)
        {
            OwnershipRecord? owner = OwnerOf(workload);
            (uint Node, long Token)[] holders = [.. ValidTerms(workload)];
            if (owner is not null && holders is [var only] && only.Node == owner.NodeId && only.Token == owner.FencingToken)
            {
                continue;
            }

            string store = owner is null ? "no owner" : $"node {owner.NodeId} as owner (token {owner.FencingToken})";
            string valid = holders.Length == 0 ? "no node holds a valid term" : $"valid terms on {string.Join(", ", holders.Select(h => $"node {h.Node} (token {h.Token})"))}";
            found.Add(Violate(OwnershipRule.NotSettled, workload, [.. holders.Select(h => h.Node)], [.. holders.Select(h => h.Token)], $"after settling, the store shows {store} of {workload}; {valid}"));
        }

        return found;
    }

    /// <summary>Rule (a), as <paramref name="node"/> begins <paramref name="term"/>.</summary>
    internal void OnTermBegan(uint node, OwnershipTerm term)
    {
        TermsBegun++;
        if (!term.IsValid)
        {
            TermsBegunLapsed++;
            return; // begun already lapsed: never an owner (the coordinator now begins no such term)
        }

        foreach ((uint other, long token) in ValidTerms(term.WorkloadId))
        {
            if (other != node)
            {
                Violate(OwnershipRule.OverlappingTerms, term.WorkloadId, [node, other], [term.FencingToken, token],
                    $"node {node} began a term of {term.WorkloadId} with token {term.FencingToken} while node {other} still held a valid term with token {token}");
            }
        }
    }

    /// <summary>Rule (b), as a write by <paramref name="node"/> under <paramref name="term"/> is accepted or refused.</summary>
    internal void OnWrite(uint node, OwnershipTerm term, bool accepted)
    {
        if (!accepted)
        {
            WritesRefused++;
            if (term.IsValid)
            {
                Violate(OwnershipRule.ValidWriteRefused, term.WorkloadId, [node], [term.FencingToken],
                    $"the resource of {term.WorkloadId} refused node {node}'s write with token {term.FencingToken} (it had accepted {Resource(term.WorkloadId).Newest}) while node {node}'s term was still valid");
            }

            return;
        }

        WritesAccepted++;
        foreach ((uint other, long token) in ValidTerms(term.WorkloadId))
        {
            if (other != node && token > term.FencingToken)
            {
                Violate(OwnershipRule.StaleWriteAccepted, term.WorkloadId, [node, other], [term.FencingToken, token],
                    $"the resource of {term.WorkloadId} accepted node {node}'s write with token {term.FencingToken} while node {other} held a valid term with token {token}");
            }
        }
    }

    private IEnumerable<(uint Node, long Token)> ValidTerms(string workload)
    {
        foreach (NodeCoordination node in _cluster.Nodes)
        {
            if (node.Process is { IsDead: false, Coordinator: { } coordinator } && coordinator.GetTerm(workload) is { IsValid: true } term)
            {
                yield return (node.NodeId, term.FencingToken);
            }
        }
    }

    private OwnershipViolation Violate(OwnershipRule rule, string workload, uint[] nodes, long[] tokens, string detail)
    {
        var violation = new OwnershipViolation(_cluster.Recorder.Now, rule, workload, nodes, tokens, detail);
        _violations.Add(violation);
        return violation;
    }
}
