namespace Failover.Sdk.Configuration;

/// <summary>
/// How an agent holds its lease in the coordination store (BY-1), bound from
/// <c>Failover:Coordination</c>. See docs/fencing.md for how these bound the time two owners
/// could overlap.
/// </summary>
public sealed class FailoverCoordinationOptions
{
    /// <summary>
    /// How long the agent's lease lives without a renewal: the longest a dead owner keeps a
    /// workload from moving. Default 10 s. etcd grants whole seconds, at least 2.
    /// </summary>
    public TimeSpan LeaseTimeToLive { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long before its lease could expire in the store the agent gives up ownership and
    /// stops its workloads, by its own monotonic clock: it covers clock drift between the agent
    /// and the store and the time a workload takes to stop. Default 2 s; less than half of
    /// <see cref="LeaseTimeToLive"/>.
    /// </summary>
    public TimeSpan LeaseSafetyMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the lease is renewed. When unset, a third of
    /// (<see cref="LeaseTimeToLive"/> - <see cref="LeaseSafetyMargin"/>), so two renewals in a
    /// row can fail before the agent gives up.
    /// </summary>
    public TimeSpan? LeaseRenewInterval { get; set; }

    /// <summary>How long one request to the store may take before it counts as failed. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The renewal interval in effect.</summary>
    internal TimeSpan EffectiveRenewInterval => LeaseRenewInterval ?? ((LeaseTimeToLive - LeaseSafetyMargin) / 3);
}
