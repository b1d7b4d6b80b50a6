namespace Failover.Sdk.Coordination;

/// <summary>Which node owns a workload, under which lease, and the fencing token of that ownership.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="NodeId">The owner.</param>
/// <param name="LeaseId">The owner's lease; the ownership ends when the lease does.</param>
/// <param name="FencingToken">
/// The store revision that wrote this ownership: larger for every later ownership of any
/// workload. Send it with every start and command, so a resource can refuse a stale owner.
/// </param>
public sealed record OwnershipRecord(string WorkloadId, uint NodeId, long LeaseId, long FencingToken);
