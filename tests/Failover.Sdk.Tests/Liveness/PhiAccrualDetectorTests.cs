using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

public class PhiAccrualDetectorTests
{
    private const long Interval = 1_000; // timestamp ticks
    private const double Threshold = 8;
    private const long MinStd = Interval / 10;

    private static PhiAccrualDetector Trained(long pause = 0, int rise = 1, int heartbeats = 1_100, long jitter = 0)
    {
        var detector = new PhiAccrualDetector(Interval, Threshold, MinStd, pause, start: 0, rise);
        for (long i = 1; i <= heartbeats; i++)
        {
            // A deterministic jitter pattern: -j, 0, +j, ...
            detector.Heartbeat((i * Interval) + ((i % 3) - 1) * jitter);
        }

        return detector;
    }

    [Fact]
    public void InverseThreshold_gives_the_y_at_which_the_logistic_phi_equals_the_threshold()
    {
        foreach (double threshold in (double[])[0.5, 1, 3, 8, 12, 16])
        {
            double y = PhiAccrualDetector.InverseThreshold(threshold);
            double e = Math.Exp(-y * (1.5976 + (0.070566 * y * y)));
            Assert.Equal(threshold, -Math.Log10(e / (1 + e)), precision: 6);
        }
    }

    [Fact]
    public void Phi_grows_monotonically_with_silence()
    {
        PhiAccrualDetector detector = Trained(jitter: 50);
        long last = detector.LastHeard;
        double previous = detector.Phi(last);
        for (long elapsed = 1; elapsed <= 5 * Interval; elapsed++)
        {
            double phi = detector.Phi(last + elapsed);
            Assert.True(phi >= previous, $"phi fell from {previous} to {phi} at {elapsed} ticks of silence");
            previous = phi;
        }

        Assert.True(previous > Threshold);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 0)]
    [InlineData(300, 0)]
    [InlineData(0, 2_500)]
    public void Deadline_is_the_last_tick_under_the_threshold_and_agrees_with_IsSuspected(long jitter, long pause)
    {
        PhiAccrualDetector detector = Trained(pause, jitter: jitter);
        long deadline = detector.Deadline;

        Assert.True(detector.Phi(deadline) < Threshold, $"phi {detector.Phi(deadline)} at the deadline");
        Assert.True(detector.Phi(deadline + 1) >= Threshold, $"phi {detector.Phi(deadline + 1)} a tick after the deadline");
        Assert.False(detector.IsSuspected(deadline));
        Assert.True(detector.IsSuspected(deadline + 1));
    }

    [Fact]
    public void Regular_arrivals_are_tolerated_up_to_mean_plus_y_min_deviations()
    {
        // 1,100 identical intervals push the two bootstrap samples out: the learned deviation is 0, so the floor rules.
        PhiAccrualDetector detector = Trained();
        double expected = Interval + (PhiAccrualDetector.InverseThreshold(Threshold) * MinStd);

        Assert.InRange(detector.ToleratedSilence, expected - 1, expected + 1);
    }

    [Fact]
    public void Before_any_heartbeat_the_bootstrap_is_the_expected_interval_with_a_quarter_deviation()
    {
        var detector = new PhiAccrualDetector(Interval, Threshold, MinStd, 0, start: 5_000);
        double expected = Interval + (PhiAccrualDetector.InverseThreshold(Threshold) * Interval / 4);

        Assert.InRange(detector.Deadline - 5_000, expected - 1, expected + 1);
        Assert.False(detector.IsSuspected(5_000 + Interval));
    }

    [Fact]
    public void An_acceptable_pause_moves_the_deadline_by_the_pause()
    {
        const long Pause = 2_500;
        Assert.InRange(Trained(Pause).ToleratedSilence - Trained().ToleratedSilence, Pause - 1, Pause + 1);
    }

    [Fact]
    public void A_heartbeat_ending_a_suspected_silence_is_not_learned()
    {
        PhiAccrualDetector detector = Trained(jitter: 50);
        long tolerated = detector.ToleratedSilence;
        long late = detector.LastHeard + (10 * Interval);
        Assert.True(detector.IsSuspected(late));

        detector.Heartbeat(late);

        Assert.False(detector.IsSuspected(late));
        Assert.Equal(tolerated, detector.ToleratedSilence);
    }

    [Fact]
    public void Heartbeat_with_rise_2_trusts_again_on_the_second_heartbeat()
    {
        PhiAccrualDetector detector = Trained(rise: 2);
        long late = detector.LastHeard + (10 * Interval);

        detector.Heartbeat(late);
        Assert.True(detector.IsSuspected(late));
        Assert.Equal(long.MinValue, detector.Deadline);

        detector.Heartbeat(late + Interval);
        Assert.False(detector.IsSuspected(late + Interval));
    }
}
