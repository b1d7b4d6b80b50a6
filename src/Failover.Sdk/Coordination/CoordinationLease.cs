namespace Failover.Sdk.Coordination;

/// <summary>A lease granted by an <see cref="ICoordinationStore"/>.</summary>
/// <param name="Id">The store's id of the lease.</param>
/// <param name="TimeToLive">How long the lease lives from its grant or its last renewal, as granted.</param>
public sealed record CoordinationLease(long Id, TimeSpan TimeToLive);
