namespace Failover.Sdk.Coordination;

/// <summary>
/// Whether the coordination store is shared by the agents of the cluster (etcd, an in-memory
/// store handed to several hosts, the simulator's) or is this process's own default. Only a
/// shared store fences the process swap; with a private one the swap follows the seeds' rule
/// (a stop confirmed by the old node, or no path to it answering).
/// </summary>
internal sealed record CoordinationStoreScope(bool IsShared);
