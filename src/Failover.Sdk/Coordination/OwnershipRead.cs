namespace Failover.Sdk.Coordination;

/// <summary>The owner of a workload as read, and the store's revision at the read.</summary>
/// <param name="Owner">The owner, or null when the workload has none.</param>
/// <param name="Revision">The store's revision at the read: watch from here to miss no later change.</param>
public sealed record OwnershipRead(OwnershipRecord? Owner, long Revision);
