namespace Failover.Sdk.Simulation.Time;

/// <summary>
/// Something <see cref="VirtualTimeProvider"/> runs at a virtual instant: a component's
/// timer, or one of the simulator's own events (a frame arriving, a fault).
/// </summary>
/// <remarks>
/// Its scheduling state (<see cref="Version"/>, <see cref="PeriodTicks"/>,
/// <see cref="IsDisposed"/>) belongs to the provider and changes only under its lock;
/// every (re)schedule bumps <see cref="Version"/>, which is how queued firings go stale
/// without searching the priority queue. The simulator's own events skip the
/// <see cref="ITimer"/> wrapping and the execution-context capture: at millions of frames
/// per run, that is most of the cost of an event.
/// </remarks>
internal abstract class VirtualEvent
{
    /// <summary>Scheduling order: breaks ties between events due at the same instant.</summary>
    public long Sequence { get; set; }

    public long Version { get; set; }

    /// <summary>The period in ticks; 0 for a one-shot event.</summary>
    public long PeriodTicks { get; set; }

    public bool IsDisposed { get; set; }

    /// <summary>Runs the event on the simulator's thread.</summary>
    public abstract void Fire();
}
