namespace Failover.Sdk.Swap;

/// <summary>
/// Every node the policy considered: the eligible ones first in order of preference, then the
/// rejected ones by node id, each with its reason, so the explanation record (BY-7) can show
/// the whole decision and not only its winner.
/// </summary>
/// <param name="Candidates">Each node of the cluster exactly once.</param>
internal sealed record PlacementRanking(IReadOnlyList<PlacementCandidate> Candidates)
{
    /// <summary>The preferred node; null when no node is eligible.</summary>
    public uint? First => Candidates.Count > 0 && Candidates[0].IsEligible ? Candidates[0].NodeId : null;

    /// <summary>The eligible nodes, most preferred first: the order to try them in when a start fails.</summary>
    public IEnumerable<uint> Eligible => Candidates.TakeWhile(c => c.IsEligible).Select(c => c.NodeId);
}
