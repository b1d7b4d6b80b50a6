namespace Failover.Sdk.Simulation.Faults;

/// <summary>A fault the scenario injects at <paramref name="At"/>, healed <paramref name="Duration"/> later (never, when null).</summary>
/// <param name="At">When, from the start of the run.</param>
/// <param name="Fault">What goes wrong.</param>
/// <param name="Duration">How long until it heals; null for a fault that lasts the rest of the run.</param>
public sealed record ScheduledFault(TimeSpan At, Fault Fault, TimeSpan? Duration = null);
