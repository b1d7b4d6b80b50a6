using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;
using FsCheck;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Liveness;

/// <summary>Both detectors on random heartbeat trains, fed by hand.</summary>
public class FailureDetectorProperties
{
    private const long Interval = 1_000; // timestamp ticks

    private static FailureDetectorSettings Settings(bool phi, int rise) => new(
        phi ? FailoverDetectorKind.PhiAccrual : FailoverDetectorKind.Fixed,
        Interval,
        Timeout: 3 * Interval,
        PhiThreshold: 8,
        PhiMinStdDeviation: Interval / 10,
        AcceptableHeartbeatPause: 0,
        RiseCount: rise);

    [Property(MaxTest = 300)]
    public void Phi_8_never_suspects_regular_arrivals_with_jitter_under_a_fifth_of_the_interval(int[] jitters)
    {
        // Arrival k at k intervals ± under 20 %: gaps within 60 %..140 % of the interval, at
        // most 4 floor deviations over the mean, where phi 8 needs about 5.2.
        IFailureDetector detector = Settings(phi: true, rise: 1).Create(start: 0);
        for (int k = 0; k < jitters.Length; k++)
        {
            long arrival = ((k + 1) * Interval) + (jitters[k] % (Interval / 5));
            Assert.False(detector.IsSuspected(arrival), $"suspected before heartbeat {k} at {arrival}");
            detector.Heartbeat(arrival);
            Assert.False(detector.IsSuspected(arrival), $"suspected after heartbeat {k} at {arrival}");
        }
    }

    [Property(MaxTest = 500)]
    public void After_heartbeats_stop_suspicion_comes_exactly_after_the_announced_deadline(bool phi, byte rise, ushort[] gaps)
    {
        IFailureDetector detector = Settings(phi, 1 + (rise % 3)).Create(start: 0);
        long now = 0;
        foreach (ushort gap in gaps)
        {
            now += 1 + gap; // up to 65 intervals: on time, late and very late
            detector.Heartbeat(now);
        }

        long deadline = detector.Deadline;
        if (deadline == long.MinValue)
        {
            Assert.True(detector.IsSuspected(now), "a detector announcing no deadline is suspected already");
            return;
        }

        Assert.True(deadline >= now, $"deadline {deadline} before the last heartbeat {now}");
        Assert.False(detector.IsSuspected(deadline), $"suspected at the announced deadline {deadline}");
        Assert.True(detector.IsSuspected(deadline + 1), $"not suspected a tick after the deadline {deadline}");
        Assert.True(detector.IsSuspected(deadline + (100 * Interval)), "not suspected long after the deadline");
    }

    [Property(MaxTest = 1000)]
    public void Detectors_never_throw_on_any_timestamps(bool phi, byte rise, long start, long[] timestamps)
    {
        long[] extremes = [long.MinValue, long.MaxValue, 0, -1, start, start];
        foreach (long[] train in (long[][])[timestamps, [.. timestamps, .. extremes], [.. extremes, .. timestamps]])
        {
            IFailureDetector detector = Settings(phi, rise).Create(start);
            foreach (long t in train)
            {
                detector.Heartbeat(t);
                _ = detector.IsSuspected(t);
                _ = detector.IsSuspected(t - 1);
                _ = detector.Deadline;
                if (detector is PhiAccrualDetector accrual)
                {
                    Assert.False(double.IsNaN(accrual.Phi(t)), $"phi is NaN at {t}");
                }
            }
        }
    }
}
