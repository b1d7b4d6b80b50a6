using Failover.Sdk.Configuration;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>
/// Coordination in a scenario (BY-1): one coordination store for the cluster, placed on a node
/// and reached over the simulated network; every node's real <c>FailoverCoordinator</c> holding
/// a lease in it; and workloads that must run on exactly one node at a time, each writing to a
/// fenced resource under its fencing token.
/// </summary>
/// <remarks>
/// The defaults are scaled down from <see cref="FailoverCoordinationOptions"/>'s (10 s leases)
/// so that a run sees many lease lives in little virtual time; the ratios are kept.
/// </remarks>
public sealed record CoordinationDefinition
{
    /// <summary>
    /// The node whose machine hosts the store, as an etcd member beside its agent. When unset,
    /// the lowest-id node with role <see cref="Topology.NodeRole.Manager"/>, else the lowest id.
    /// </summary>
    public uint? StoreNode { get; init; }

    /// <inheritdoc cref="FailoverCoordinationOptions.LeaseTimeToLive"/>
    /// <remarks>In the simulator 2 s by default.</remarks>
    public TimeSpan LeaseTimeToLive { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc cref="FailoverCoordinationOptions.LeaseSafetyMargin"/>
    /// <remarks>In the simulator 400 ms by default: a fifth of the lease, as the SDK's 2 s of 10 s.</remarks>
    public TimeSpan LeaseSafetyMargin { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <inheritdoc cref="FailoverCoordinationOptions.LeaseRenewInterval"/>
    public TimeSpan? LeaseRenewInterval { get; init; }

    /// <inheritdoc cref="FailoverCoordinationOptions.RequestTimeout"/>
    /// <remarks>In the simulator 500 ms by default.</remarks>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often, by its node's clock, a running workload writes to its fenced resource. Default 100 ms.</summary>
    public TimeSpan WriteInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How much later each candidate of a workload starts campaigning than the one listed before
    /// it, each time its agent starts: the first listed usually wins the first election. Default
    /// zero: all at once, and the network's timing decides.
    /// </summary>
    public TimeSpan CampaignStagger { get; init; }

    /// <summary>The workloads that must each run on exactly one node.</summary>
    public IReadOnlyList<WorkloadDefinition> Workloads { get; init; } = [];

    /// <summary>Copies the lease settings onto an agent's options.</summary>
    internal void ApplyTo(FailoverCoordinationOptions options)
    {
        options.LeaseTimeToLive = LeaseTimeToLive;
        options.LeaseSafetyMargin = LeaseSafetyMargin;
        options.LeaseRenewInterval = LeaseRenewInterval;
        options.RequestTimeout = RequestTimeout;
    }
}
