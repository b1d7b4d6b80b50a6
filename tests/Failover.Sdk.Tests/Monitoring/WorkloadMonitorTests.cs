using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Failover.Sdk.Configuration;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Monitoring;

/// <summary>
/// The monitor as a state machine (FS-1, FS-4, FS-5): timestamps are fed in, one tick a
/// millisecond, so every verdict is checked at the exact tick it must fall on.
/// </summary>
public class WorkloadMonitorTests
{
    private const long Frequency = 1000;
    private const long Interval = 100;
    private const long ReadyTimeout = 1000;
    private const int Missed = 3;
    private const uint Runner = 2;
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("monitor test secret, 29 bytes");

    private static WorkloadDescriptor Workload(WorkloadProbeKind kind = WorkloadProbeKind.KeyResponse, long? timeout = null) => new(
        new FailoverWorkloadOptions
        {
            Id = "watched",
            Kind = WorkloadKind.Task,
            Probe = new FailoverProbeOptions
            {
                Kind = kind,
                Interval = TimeSpan.FromMilliseconds(Interval),
                Timeout = timeout is { } t ? TimeSpan.FromMilliseconds(t) : null,
                MissedProbes = Missed,
            },
        },
        Secret);

    private static WorkloadMonitor Monitor(WorkloadDescriptor workload, long token = 0, long createdAt = 0) =>
        new(workload, Runner, token, failureStreak: 0, createdAt, TimeSpan.FromMilliseconds(ReadyTimeout), Frequency);

    /// <summary>FS-4's answer worked out here: the first 16 bytes of HMAC-SHA256(secret, FNV-1a(id) ‖ key), big-endian.</summary>
    private static UInt128 RightAnswer(UInt128 key)
    {
        uint wireId = 2166136261;
        foreach (byte b in Encoding.ASCII.GetBytes("watched"))
        {
            wireId = (wireId ^ b) * 16777619;
        }

        byte[] message = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(message, wireId);
        BinaryPrimitives.WriteUInt128BigEndian(message.AsSpan(4), key);
        return BinaryPrimitives.ReadUInt128BigEndian(HMACSHA256.HashData(Secret, message));
    }

    private static UInt128 KeyAt(long now) => new((ulong)now + 1, 0xABCD);

    /// <summary>Ticks at <paramref name="now"/> and answers the key rightly <paramref name="delay"/> later.</summary>
    private static void TickAndAnswer(WorkloadMonitor monitor, long now, long token = 5, long delay = 10)
    {
        UInt128 key = Assert.NotNull(monitor.Tick(now, KeyAt(now)));
        monitor.OnProbeReply(key, RightAnswer(key), token, now + delay);
    }

    /// <summary>Makes the monitor operational with one good answer at 0..10.</summary>
    private static WorkloadMonitor Operational(WorkloadProbeKind kind = WorkloadProbeKind.KeyResponse)
    {
        WorkloadMonitor monitor = Monitor(Workload(kind));
        if (kind == WorkloadProbeKind.KeyResponse)
        {
            TickAndAnswer(monitor, 0);
        }
        else
        {
            Assert.Equal(UInt128.Zero, monitor.Tick(0, KeyAt(0)));
            monitor.OnHeartbeat(5, 10);
        }

        Assert.True(monitor.IsOperational);
        return monitor;
    }

    [Fact]
    public void Good_answers_keep_it_healthy_and_the_first_makes_it_operational()
    {
        WorkloadMonitor monitor = Monitor(Workload());
        Assert.False(monitor.IsOperational);

        for (long now = 0; now < 50 * Interval; now += Interval)
        {
            TickAndAnswer(monitor, now, delay: Interval - 1);
        }

        Assert.Null(monitor.Failure);
        Assert.Equal(50, monitor.Answers);
        Assert.Equal(Interval - 1, monitor.OperationalSince);
        Assert.NotNull(monitor.Tick(50 * Interval, KeyAt(50 * Interval)));
    }

    [Fact]
    public void Every_tick_sends_a_fresh_key_and_never_the_subscription_key()
    {
        WorkloadMonitor monitor = Operational();
        UInt128 key = Assert.NotNull(monitor.Tick(Interval, new UInt128(9, 9)));
        Assert.Equal(new UInt128(9, 9), key);

        // Zero means "heartbeat subscription" on the wire, so a zero key from the generator is replaced.
        monitor.OnProbeReply(key, RightAnswer(key), 5, Interval + 1);
        UInt128 replaced = Assert.NotNull(monitor.Tick(2 * Interval, UInt128.Zero));
        Assert.NotEqual(UInt128.Zero, replaced);
    }

    [Fact]
    public void MissedProbes_timeouts_in_a_row_fail_it_at_the_tick_that_sees_the_last_one()
    {
        WorkloadMonitor monitor = Operational();
        // Keys sent at 100, 200, 300 go unanswered; each is judged at the next tick.
        Assert.NotNull(monitor.Tick(100, KeyAt(100)));
        Assert.NotNull(monitor.Tick(200, KeyAt(200))); // miss 1
        Assert.NotNull(monitor.Tick(300, KeyAt(300))); // miss 2
        Assert.Null(monitor.Failure);

        Assert.Null(monitor.Tick(400, KeyAt(400))); // miss 3

        Assert.StartsWith("3 probes in a row failed (last: no answer within 100 ms", monitor.Failure, StringComparison.Ordinal);
        Assert.Null(monitor.Tick(500, KeyAt(500)));
    }

    [Fact]
    public void A_key_replaced_unanswered_by_a_tick_that_comes_early_is_a_miss_too()
    {
        // A real periodic timer jitters: with the timeout equal to the interval (the default),
        // the next tick often comes a little before the last key's deadline. That key was not
        // answered, and only one key is outstanding at a time: it is a miss all the same.
        WorkloadMonitor monitor = Operational();
        const long early = Interval - 1;
        long now = 100;
        for (int i = 0; i < Missed; i++, now += early)
        {
            Assert.NotNull(monitor.Tick(now, KeyAt(now)));
        }

        Assert.Null(monitor.Tick(now, KeyAt(now)));
        Assert.Equal("3 probes in a row failed (last: no answer before the next probe, 99 ms after the key)", monitor.Failure);
    }

    [Fact]
    public void A_good_answer_between_misses_starts_the_count_again()
    {
        WorkloadMonitor monitor = Operational();
        long now = 100;
        for (int round = 0; round < 10; round++)
        {
            // Missed - 1 unanswered keys, then a good answer: never MissedProbes misses in a row.
            for (int i = 0; i < Missed - 1; i++, now += Interval)
            {
                Assert.NotNull(monitor.Tick(now, KeyAt(now)));
            }

            TickAndAnswer(monitor, now);
            now += Interval;
        }

        Assert.Null(monitor.Failure);
    }

    [Fact]
    public void An_answer_after_the_timeout_counts_as_a_miss()
    {
        // FS-4: the answer must come before the timeout. A run that answers every key, but
        // always 40 ms late with a 30 ms timeout, fails like one that does not answer.
        WorkloadMonitor monitor = Monitor(Workload(timeout: 30));
        TickAndAnswer(monitor, 0);
        long now = Interval;
        for (int i = 0; i < Missed; i++, now += Interval)
        {
            UInt128 key = Assert.NotNull(monitor.Tick(now, KeyAt(now)));
            monitor.OnProbeReply(key, RightAnswer(key), 5, now + 40);
        }

        Assert.Equal(1, monitor.Answers);
        Assert.Null(monitor.Tick(now, KeyAt(now)));
        Assert.Equal("3 probes in a row failed (last: an answer 40 ms after the key, past the timeout of 30 ms)", monitor.Failure);
    }

    [Fact]
    public void An_answer_just_before_the_timeout_is_good()
    {
        WorkloadMonitor monitor = Monitor(Workload(timeout: 30));
        for (long now = 0; now < 10 * Interval; now += Interval)
        {
            TickAndAnswer(monitor, now, delay: 29);
        }

        Assert.Equal(10, monitor.Answers);
        Assert.Null(monitor.Failure);
    }

    [Fact]
    public void A_wrong_answer_counts_as_a_miss()
    {
        WorkloadMonitor monitor = Operational();
        long now = Interval;
        for (int i = 0; i < Missed; i++, now += Interval)
        {
            UInt128 key = Assert.NotNull(monitor.Tick(now, KeyAt(now)));
            monitor.OnProbeReply(key, RightAnswer(key) ^ UInt128.One, 5, now + 1);
        }

        Assert.Equal(1, monitor.Answers);
        Assert.StartsWith("3 probes in a row failed (last: a wrong answer to the key)", monitor.Failure, StringComparison.Ordinal);
        Assert.Null(monitor.Tick(now, KeyAt(now)));
    }

    [Fact]
    public void An_answer_to_an_old_key_is_ignored()
    {
        WorkloadMonitor monitor = Monitor(Workload());
        UInt128 old = Assert.NotNull(monitor.Tick(0, KeyAt(0)));
        UInt128 current = Assert.NotNull(monitor.Tick(Interval, KeyAt(Interval)));

        // Right for its own key, but that key is no longer awaited: not an answer, not operational.
        monitor.OnProbeReply(old, RightAnswer(old), 5, Interval + 1);
        Assert.False(monitor.IsOperational);
        Assert.Equal(0, monitor.Answers);

        // An answer to a key never sent, or a replayed subscription key, neither.
        monitor.OnProbeReply(UInt128.Zero, RightAnswer(UInt128.Zero), 5, Interval + 2);
        monitor.OnProbeReply(new UInt128(77, 77), RightAnswer(new UInt128(77, 77)), 5, Interval + 3);
        Assert.Equal(0, monitor.Answers);

        monitor.OnProbeReply(current, RightAnswer(current), 5, Interval + 4);
        Assert.Equal(1, monitor.Answers);

        // A duplicate of the answer (it came on two paths) counts once.
        monitor.OnProbeReply(current, RightAnswer(current), 5, Interval + 5);
        Assert.Equal(1, monitor.Answers);
        Assert.Equal(Interval + 4, monitor.OperationalSince);
    }

    [Fact]
    public void Misses_before_the_first_good_answer_count_only_against_the_ready_timeout()
    {
        WorkloadMonitor monitor = Monitor(Workload());
        // Nine unanswered keys in a row, three times MissedProbes, while the run starts.
        for (long now = 0; now < ReadyTimeout; now += Interval)
        {
            Assert.NotNull(monitor.Tick(now, KeyAt(now)));
        }

        Assert.Null(monitor.Failure);
        monitor.OnProbeReply(KeyAt(ReadyTimeout - Interval), RightAnswer(KeyAt(ReadyTimeout - Interval)), 5, ReadyTimeout - 1);
        Assert.True(monitor.IsOperational);

        // From now on the ready timeout is over and done with.
        for (long now = ReadyTimeout; now < 3 * ReadyTimeout; now += Interval)
        {
            TickAndAnswer(monitor, now);
        }

        Assert.Null(monitor.Failure);
    }

    [Fact]
    public void The_ready_timeout_fails_a_run_that_never_answers()
    {
        WorkloadMonitor monitor = Monitor(Workload(), createdAt: 5000);
        for (long now = 5000; now < 5000 + ReadyTimeout; now += Interval)
        {
            Assert.NotNull(monitor.Tick(now, KeyAt(now)));
        }

        Assert.Null(monitor.Tick(5000 + ReadyTimeout, KeyAt(5000 + ReadyTimeout)));
        Assert.Equal($"no good answer from node {Runner} within the ready timeout of 1000 ms (last: no answer within 100 ms)", monitor.Failure);
        Assert.False(monitor.IsOperational);
    }

    [Fact]
    public void Heartbeat_mode_renews_the_subscription_with_key_zero_every_tick()
    {
        WorkloadMonitor monitor = Monitor(Workload(WorkloadProbeKind.Heartbeat));
        for (long now = 0; now < 20 * Interval; now += Interval)
        {
            Assert.Equal(UInt128.Zero, monitor.Tick(now, KeyAt(now)));
            monitor.OnHeartbeat(5, now + 50);
        }

        Assert.Null(monitor.Failure);
        Assert.Equal(20, monitor.Answers);
        Assert.Equal(50, monitor.OperationalSince);

        // Probe answers mean nothing to a heartbeat monitor.
        monitor.OnProbeReply(UInt128.Zero, RightAnswer(UInt128.Zero), 5, 2000);
        Assert.Equal(20, monitor.Answers);
    }

    [Fact]
    public void Heartbeat_mode_fails_once_the_silence_exceeds_MissedProbes_intervals()
    {
        WorkloadMonitor monitor = Operational(WorkloadProbeKind.Heartbeat);
        const long last = 10;
        for (long now = Interval; now <= last + (Missed * Interval); now += 10)
        {
            Assert.Equal(UInt128.Zero, monitor.Tick(now, KeyAt(now)));
        }

        Assert.Null(monitor.Tick(last + (Missed * Interval) + 1, KeyAt(0)));
        Assert.Equal("no heartbeat for 3 intervals of 100 ms", monitor.Failure);

        // A heartbeat after the verdict changes nothing.
        monitor.OnHeartbeat(5, 1000);
        Assert.Null(monitor.Tick(1000, KeyAt(1000)));
    }

    [Fact]
    public void A_monitor_that_stalled_does_not_blame_the_run_for_heartbeats_its_lapsed_subscription_cut_off()
    {
        // The runner relays heartbeats only to a subscription renewed within MissedProbes + 1
        // intervals. A monitor whose own timer stalls (a GC pause, a starved pool) past that
        // hears nothing by its own doing; the run heartbeated all along.
        WorkloadMonitor monitor = Operational(WorkloadProbeKind.Heartbeat);
        long subscribed = 0;
        const long lifetime = (Missed + 1) * Interval;
        void Heartbeats(long from, long to)
        {
            for (long t = from; t < to; t += 10)
            {
                if (t - subscribed <= lifetime)
                {
                    monitor.OnHeartbeat(5, t);
                }
            }
        }

        Assert.Equal(UInt128.Zero, monitor.Tick(Interval, KeyAt(Interval)));
        subscribed = Interval;
        Heartbeats(Interval, 900);

        // The next tick comes 700 ms late: the last heartbeat relayed was at 500, 400 ms ago,
        // more than MissedProbes intervals, but all of it after the subscription lapsed.
        Assert.Equal(UInt128.Zero, monitor.Tick(900, KeyAt(900)));
        Assert.Null(monitor.Failure);

        // Renewed at 900: a run that really is silent from now on gets MissedProbes intervals.
        subscribed = 900;
        Assert.Equal(UInt128.Zero, monitor.Tick(1000, KeyAt(0)));
        Assert.Equal(UInt128.Zero, monitor.Tick(900 + (Missed * Interval), KeyAt(0)));
        Assert.Null(monitor.Tick(901 + (Missed * Interval), KeyAt(0)));
        Assert.Equal("no heartbeat for 3 intervals of 100 ms", monitor.Failure);
    }

    [Fact]
    public void A_run_that_fell_silent_before_the_monitor_stalled_is_failed_at_the_late_tick()
    {
        WorkloadMonitor monitor = Operational(WorkloadProbeKind.Heartbeat);
        Assert.Equal(UInt128.Zero, monitor.Tick(Interval, KeyAt(Interval)));
        monitor.OnHeartbeat(5, 150);

        // Subscribed at 100, relayed to until 500: 350 ms of silence the subscription was live for.
        Assert.Null(monitor.Tick(900, KeyAt(900)));
        Assert.Equal("no heartbeat for 3 intervals of 100 ms", monitor.Failure);
    }

    [Fact]
    public void Heartbeat_mode_uses_the_ready_timeout_until_the_first_heartbeat()
    {
        WorkloadMonitor monitor = Monitor(Workload(WorkloadProbeKind.Heartbeat));
        for (long now = 0; now < ReadyTimeout; now += Interval)
        {
            Assert.Equal(UInt128.Zero, monitor.Tick(now, KeyAt(now)));
        }

        Assert.Null(monitor.Tick(ReadyTimeout, KeyAt(ReadyTimeout)));
        Assert.StartsWith("no good answer from node 2 within the ready timeout", monitor.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_ended_report_with_an_older_token_is_ignored()
    {
        WorkloadMonitor monitor = Monitor(Workload());
        TickAndAnswer(monitor, 0, token: 7);

        monitor.OnRunEnded(6, "the run with token 6 ended");

        Assert.Null(monitor.Failure);
        TickAndAnswer(monitor, Interval, token: 7);
        Assert.Null(monitor.Failure);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void A_run_ended_report_with_the_current_or_a_newer_token_fails_it_at_once(long token)
    {
        WorkloadMonitor monitor = Monitor(Workload());
        TickAndAnswer(monitor, 0, token: 7);

        monitor.OnRunEnded(token, "node 2 reports the run ended by itself");

        Assert.Equal("node 2 reports the run ended by itself", monitor.Failure);
        Assert.Null(monitor.Tick(1, KeyAt(1)));
    }

    [Fact]
    public void A_run_ended_report_fails_a_monitor_that_has_not_learned_the_token_yet()
    {
        WorkloadMonitor monitor = Monitor(Workload());
        monitor.OnRunEnded(3, "ended before its first answer");
        Assert.Equal("ended before its first answer", monitor.Failure);
    }

    [Fact]
    public void The_token_is_learned_from_answers_and_never_goes_back()
    {
        WorkloadMonitor monitor = Monitor(Workload());
        Assert.Equal(0, monitor.FencingToken);

        TickAndAnswer(monitor, 0, token: 12);
        Assert.Equal(12, monitor.FencingToken);

        TickAndAnswer(monitor, Interval, token: 9);
        Assert.Equal(12, monitor.FencingToken);

        TickAndAnswer(monitor, 2 * Interval, token: 15);
        Assert.Equal(15, monitor.FencingToken);

        // Heartbeats carry it too.
        WorkloadMonitor heartbeats = Monitor(Workload(WorkloadProbeKind.Heartbeat), token: 4);
        heartbeats.OnHeartbeat(6, 1);
        Assert.Equal(6, heartbeats.FencingToken);
    }
}
