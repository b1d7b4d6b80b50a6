namespace Failover.Sdk.Simulation.Journal;

/// <summary>What kind of line a journal entry makes on a timeline.</summary>
internal enum TimelineKind
{
    Fault,
    Heal,
    Start,
    Stop,
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
