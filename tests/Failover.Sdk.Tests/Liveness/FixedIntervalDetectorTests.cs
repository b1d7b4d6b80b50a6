using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

public class FixedIntervalDetectorTests
{
    private const long Timeout = 300; // k x interval, in timestamp ticks

    [Fact]
    public void IsSuspected_only_after_silence_strictly_longer_than_the_timeout()
    {
        var detector = new FixedIntervalDetector(Timeout, start: 0);
        detector.Heartbeat(100);

        Assert.Equal(100 + Timeout, detector.Deadline);
        Assert.False(detector.IsSuspected(100 + Timeout));
        Assert.True(detector.IsSuspected(100 + Timeout + 1));
    }

    [Fact]
    public void Heartbeat_with_rise_1_trusts_again_at_once_after_a_silence()
    {
        var detector = new FixedIntervalDetector(Timeout, start: 0, rise: 1);
        detector.Heartbeat(100);
        Assert.True(detector.IsSuspected(1_000));

        detector.Heartbeat(1_000);

        Assert.False(detector.IsSuspected(1_000));
        Assert.Equal(1_000 + Timeout, detector.Deadline);
    }

    [Fact]
    public void Heartbeat_with_rise_3_trusts_again_only_on_the_third_consecutive_heartbeat()
    {
        var detector = new FixedIntervalDetector(Timeout, start: 0, rise: 3);
        detector.Heartbeat(100);
        Assert.False(detector.IsSuspected(100));

        detector.Heartbeat(1_000); // late: ends a suspected silence, counts as the first
        Assert.True(detector.IsSuspected(1_000));
        Assert.Equal(long.MinValue, detector.Deadline);

        detector.Heartbeat(1_100);
        Assert.True(detector.IsSuspected(1_100));

        detector.Heartbeat(1_200);
        Assert.False(detector.IsSuspected(1_200));
        Assert.Equal(1_200 + Timeout, detector.Deadline);
    }

    [Fact]
    public void Heartbeat_late_while_rising_starts_the_count_again()
    {
        var detector = new FixedIntervalDetector(Timeout, start: 0, rise: 2);
        detector.Heartbeat(1_000); // late from the start
        detector.Heartbeat(2_000); // late again: count back to 1

        Assert.True(detector.IsSuspected(2_000));
        detector.Heartbeat(2_100);
        Assert.False(detector.IsSuspected(2_100));
    }

    [Theory]
    [InlineData(1, 40)] // suspected in every late gap, trusted again by the heartbeat ending it
    [InlineData(3, 1)] // suspected once, and stays so
    public void Alternating_late_and_on_time_heartbeats_flap_only_without_rise(int rise, int expectedFlips)
    {
        var detector = new FixedIntervalDetector(Timeout, start: 0, rise);
        long now = 0;
        bool suspected = false;
        int flips = 0;
        for (int i = 0; i < 20; i++)
        {
            // A late gap (k intervals and more), then an on-time one; state sampled just before and after each heartbeat.
            foreach (long gap in (long[])[Timeout + 100, 100])
            {
                now += gap;
                flips += Observe(detector.IsSuspected(now - 1), ref suspected);
                detector.Heartbeat(now);
                flips += Observe(detector.IsSuspected(now), ref suspected);
            }
        }

        Assert.Equal(expectedFlips, flips);
    }

    [Fact]
    public void Heartbeat_ignores_equal_and_older_timestamps()
    {
        var detector = new FixedIntervalDetector(Timeout, start: 0);
        detector.Heartbeat(500);
        detector.Heartbeat(400);
        detector.Heartbeat(500);

        Assert.Equal(500, detector.LastHeard);
        Assert.Equal(500 + Timeout, detector.Deadline);
    }

    private static int Observe(bool now, ref bool before)
    {
        int flip = now == before ? 0 : 1;
        before = now;
        return flip;
    }
}
