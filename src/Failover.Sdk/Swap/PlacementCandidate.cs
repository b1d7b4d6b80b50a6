namespace Failover.Sdk.Swap;

/// <summary>One node the placement policy considered, and why it was turned down (BY-7).</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Rejection">A short sentence saying why it cannot take the role; null when it can.</param>
internal readonly record struct PlacementCandidate(uint NodeId, string? Rejection)
{
    public bool IsEligible => Rejection is null;
}
