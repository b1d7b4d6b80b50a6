using Failover.Sdk.Configuration;

namespace Failover.Sdk.Liveness;

/// <summary>
/// The configured detector, in timestamp ticks, and the factory of one per (peer, path):
/// the agent converts <see cref="FailoverOptions"/> once and <see cref="PeerLiveness"/> asks it
/// for a detector per path.
/// </summary>
internal sealed record FailureDetectorSettings(
    FailoverDetectorKind Kind,
    long Interval,
    long Timeout,
    double PhiThreshold,
    long PhiMinStdDeviation,
    long AcceptableHeartbeatPause,
    int RiseCount)
{
    public static FailureDetectorSettings From(FailoverOptions options, long timestampFrequency)
    {
        ArgumentNullException.ThrowIfNull(options);
        long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * timestampFrequency);
        long interval = Ticks(options.HeartbeatInterval);
        return new(
            options.Detector,
            interval,
            (long)(options.HeartbeatInterval.TotalSeconds * options.MissedHeartbeats * timestampFrequency),
            options.PhiThreshold,
            Ticks(options.PhiMinStdDeviation ?? options.HeartbeatInterval / 10),
            Ticks(options.AcceptableHeartbeatPause),
            options.RiseCount);
    }

    public IFailureDetector Create(long start) => Kind == FailoverDetectorKind.PhiAccrual
        ? new PhiAccrualDetector(Interval, PhiThreshold, PhiMinStdDeviation, AcceptableHeartbeatPause, start, RiseCount)
        : new FixedIntervalDetector(Timeout, start, RiseCount);
}
