namespace Failover.Sdk.Coordination;

/// <summary>The outcome of an attempt to acquire or transfer a workload.</summary>
/// <param name="Succeeded">Whether the ownership is now the one asked for.</param>
/// <param name="Owner">The owner after the attempt: the new one on success, the one in the way (or none) on failure.</param>
/// <param name="Revision">The store's revision after the attempt.</param>
public sealed record OwnershipClaim(bool Succeeded, OwnershipRecord? Owner, long Revision);
