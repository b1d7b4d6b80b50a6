using Failover.Sdk.Configuration;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Monitoring;

/// <summary>
/// The key/response monitor as a state machine fed timestamps (here in milliseconds): a key
/// unanswered within the timeout is a miss however the ticks fall, and only an answer within
/// the timeout is a good one.
/// </summary>
public sealed class WorkloadMonitorTests
{
    private const long Frequency = 1000;
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static WorkloadDescriptor Workload(int timeoutMs = 100) => new(
        new FailoverWorkloadOptions
        {
            Id = "w",
            Probe = new FailoverProbeOptions { Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMilliseconds(timeoutMs), MissedProbes = 3 },
        },
        Secret);

    private static WorkloadMonitor OperationalMonitor(WorkloadDescriptor workload, out long now)
    {
        var monitor = new WorkloadMonitor(workload, runnerNode: 2, fencingToken: 0, failureStreak: 0, now: 0, TimeSpan.FromSeconds(10), Frequency);
        UInt128 key = monitor.Tick(0, 7).GetValueOrDefault();
        monitor.OnProbeReply(key, Answer(workload, key), token: 5, now: 10);
        Assert.True(monitor.IsOperational);
        now = 0;
        return monitor;
    }

    private static UInt128 Answer(WorkloadDescriptor workload, UInt128 key) => ProbeDigest.Compute(workload.ProbeSecret, workload.WireId, key);

    [Fact]
    public void A_silent_run_fails_after_the_missed_probes_even_when_each_tick_comes_a_little_early()
    {
        // The probe loop's clock reads jitter. Ticks 99 ms apart used to replace every key 1 ms
        // before its deadline, counting no miss at all: a frozen run was never found failed.
        WorkloadMonitor monitor = OperationalMonitor(Workload(), out long now);
        int ticks = 0;
        for (; ticks < 20 && monitor.Failure is null; ticks++)
        {
            now += 99;
            monitor.Tick(now, (UInt128)(100 + ticks));
        }

        // Each key is missed at the first tick past its deadline, at most two ticks after it went out.
        Assert.InRange(ticks, 4, (2 * 3) + 1);
        Assert.Equal("3 probes in a row failed (last: no answer within 100 ms)", monitor.Failure);
    }

    [Fact]
    public void A_key_whose_deadline_has_not_come_is_sent_again_and_its_answer_still_counts()
    {
        WorkloadDescriptor workload = Workload();
        WorkloadMonitor monitor = OperationalMonitor(workload, out long now);
        long answers = monitor.Answers;
        UInt128 key = monitor.Tick(now += 100, 501).GetValueOrDefault();

        // The next tick comes 2 ms early: the same key goes out again, nothing is missed.
        Assert.Equal(key, monitor.Tick(now + 98, 502));
        monitor.OnProbeReply(key, Answer(workload, key), token: 5, now: now + 99);

        Assert.Equal(answers + 1, monitor.Answers);
        Assert.Null(monitor.Failure);
        Assert.Equal((UInt128)503, monitor.Tick(now + 198, 503)); // answered: a fresh key
    }

    [Fact]
    public void A_silent_run_fails_after_the_missed_probes_when_the_ticks_are_on_time()
    {
        WorkloadMonitor monitor = OperationalMonitor(Workload(), out long now);
        for (int i = 1; i <= 4; i++)
        {
            Assert.Null(monitor.Failure);
            now += 100;
            monitor.Tick(now, (UInt128)(100 + i));
        }

        Assert.Equal("3 probes in a row failed (last: no answer within 100 ms)", monitor.Failure);
    }

    [Fact]
    public void An_answer_after_the_timeout_is_a_miss_not_a_good_answer()
    {
        WorkloadDescriptor workload = Workload(timeoutMs: 40);
        WorkloadMonitor monitor = OperationalMonitor(workload, out long now);
        long answers = monitor.Answers;
        for (int i = 1; i <= 3; i++)
        {
            now += 100;
            UInt128 key = monitor.Tick(now, (UInt128)(100 + i)).GetValueOrDefault();
            // Right, but 60 ms after the key, with 40 ms allowed.
            monitor.OnProbeReply(key, Answer(workload, key), token: 5, now: now + 60);
        }

        Assert.Equal(answers, monitor.Answers);
        Assert.NotNull(monitor.Failure);
        Assert.Equal("3 probes in a row failed (last: an answer 60 ms after the key, past the 40 ms timeout)", monitor.Failure);
    }

    [Fact]
    public void Answers_within_the_timeout_keep_the_run_healthy_however_the_ticks_fall()
    {
        WorkloadDescriptor workload = Workload();
        WorkloadMonitor monitor = OperationalMonitor(workload, out long now);
        long answers = monitor.Answers;
        for (int i = 1; i <= 20; i++)
        {
            now += i % 2 == 0 ? 99 : 101;
            UInt128 key = monitor.Tick(now, (UInt128)(100 + i)).GetValueOrDefault();
            monitor.OnProbeReply(key, Answer(workload, key), token: 5, now: now + 30);
        }

        Assert.Null(monitor.Failure);
        Assert.Equal(answers + 20, monitor.Answers);
    }

    [Fact]
    public void One_late_answer_between_good_ones_is_one_miss_and_is_forgiven()
    {
        WorkloadDescriptor workload = Workload(timeoutMs: 40);
        WorkloadMonitor monitor = OperationalMonitor(workload, out long now);
        for (int i = 1; i <= 9; i++)
        {
            now += 100;
            UInt128 key = monitor.Tick(now, (UInt128)(100 + i)).GetValueOrDefault();
            monitor.OnProbeReply(key, Answer(workload, key), token: 5, now: now + (i % 3 == 0 ? 60 : 10));
        }

        Assert.Null(monitor.Failure);
    }
}
