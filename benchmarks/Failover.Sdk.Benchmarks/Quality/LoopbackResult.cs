namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// Loopback trials of one profile: per trial, the observer's own silence at its Down report
/// (last heartbeat received to Down), and the time from the call that stopped the victim's
/// host to the Down report; trials left out because the victim was suspected already when
/// stopped; Down reports that came while the victim ran (mistakes) over the time it was
/// watched trusted.
/// </summary>
internal sealed record LoopbackResult(
    TimeSpan Interval,
    int Missed,
    IReadOnlyList<TimeSpan> Silences,
    IReadOnlyList<TimeSpan> StopToDown,
    int AlreadySuspected,
    int Mistakes,
    TimeSpan Watched,
    TimeSpan WallTime);
