namespace Failover.Sdk.Simulation.Journal;

/// <summary>The kinds of mark <see cref="SvgTimeline"/> draws on a lane.</summary>
internal enum SvgMarkKind
{
    Suspect,
    Trust,
    Restart,
    PathDown,
    PathUp,
    Owns,
    Disowns,
    LeaseLost,
    Refused,
}
