namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// How a detection-time run crashes its victim: after <see cref="WarmUp"/>, <see cref="Crashes"/>
/// times, each crash lasting <see cref="Downtime"/> (then the node boots as a new
/// incarnation) and followed by <see cref="Gap"/> plus a uniform draw under one heartbeat
/// interval, so that crashes land at every phase of the heartbeat schedule.
/// </summary>
internal sealed record CrashPlan(int Crashes, int Observers, TimeSpan WarmUp, TimeSpan Downtime, TimeSpan Gap)
{
    /// <summary>
    /// For the 100 ms profile: two minutes of warm-up fill φ's history of 1,000 intervals (it
    /// survives the victim's restarts: the observer keeps its detector), 2 s down is several
    /// times the slowest detection, 3 s up lets the restarted victim be trusted again.
    /// </summary>
    public static CrashPlan ForInterval(TimeSpan interval, int crashes, int observers) =>
        new(crashes, observers, WarmUp: interval * 1200, Downtime: interval * 20, Gap: interval * 30);

    /// <summary>The virtual time the run takes, at most.</summary>
    public TimeSpan Length(TimeSpan interval) => WarmUp + ((Downtime + Gap + interval) * Crashes);
}
