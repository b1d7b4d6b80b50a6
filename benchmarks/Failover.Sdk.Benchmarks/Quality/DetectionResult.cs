namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// What a crash run saw: one detection time per (crash, observer) that trusted the victim
/// when it crashed; the observers that suspected it already (a false suspicion in progress)
/// are counted apart, as are crashes an observer never reported before the victim came back.
/// </summary>
internal sealed record DetectionResult(IReadOnlyList<TimeSpan> Detections, int AlreadySuspected, int Undetected, TimeSpan Simulated, TimeSpan WallTime)
{
    public Summary Summary => Summary.Of(Detections);
}
