using System.Diagnostics;
using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Probes and heartbeats between the agent and a real workload process, through the real local channel.</summary>
[Collection(RealProcesses.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit v2 ends it in IAsyncLifetime.DisposeAsync.")]
public sealed class ProcessProbeTests : IAsyncLifetime
{
    private static readonly TimeSpan AnswerDeadline = TimeSpan.FromSeconds(10);
    private ProcessHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = new ProcessHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [SkippableFact]
    public async Task A_probe_is_answered_with_the_predefined_response()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("probe-1", ["run"]);

        foreach (UInt128 key in new[] { ProcessHarness.Run.NewKey(), ProcessHarness.Run.NewKey(), UInt128.Zero })
        {
            run.Instance.Probe(key);
            UInt128 response = await run.Signals.AnswerTo(key).WaitAsync(AnswerDeadline);
            Assert.Equal(run.ExpectedResponse(key), response);
        }
    }

    [SkippableFact]
    public async Task A_workload_with_the_wrong_secret_answers_wrongly_and_the_answer_still_reaches_the_signals()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("wrong-1", ["wrong-answer"]);
        UInt128 key = ProcessHarness.Run.NewKey();

        run.Instance.Probe(key);
        UInt128 response = await run.Signals.AnswerTo(key).WaitAsync(AnswerDeadline);
        Assert.NotEqual(run.ExpectedResponse(key), response);
    }

    [SkippableFact]
    public async Task In_heartbeat_mode_heartbeats_arrive_at_about_the_interval()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        const int intervalMs = 100;
        const int count = 10;
        ProcessHarness.Run run = await _harness.StartAsync("beat-1", ["run"], o =>
        {
            o.Probe.Kind = WorkloadProbeKind.Heartbeat;
            o.Probe.Interval = TimeSpan.FromMilliseconds(intervalMs);
        });
        int first = run.Signals.Heartbeats;
        long since = Stopwatch.GetTimestamp();

        await Eventually.TrueAsync(() => run.Signals.Heartbeats >= first + count, $"{count} heartbeats", TimeSpan.FromSeconds(20));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(since);

        // Never faster than the interval (no bursts); slower only by scheduling on a busy machine.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds((count - 1) * intervalMs * 0.9), TimeSpan.FromMilliseconds(count * intervalMs * 5));
    }

    [SkippableFact]
    public async Task A_stopped_process_answers_nothing_and_answers_again_once_continued()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("hang-1", ["run"]);
        UInt128 before = ProcessHarness.Run.NewKey();
        run.Instance.Probe(before);
        Assert.Equal(run.ExpectedResponse(before), await run.Signals.AnswerTo(before).WaitAsync(AnswerDeadline));

        Assert.Equal(0, UnixSignals.Send(run.ProcessId, UnixSignals.Stop));
        await Eventually.TrueAsync(() => ProcStat.TryRead(run.ProcessId, out ProcStat s) && s.State == 'T', "the process is stopped (state T)");

        // Waiting for what must not come: bounded, and far longer than an answer takes.
        UInt128 during = ProcessHarness.Run.NewKey();
        run.Instance.Probe(during);
        await Assert.ThrowsAsync<TimeoutException>(() => run.Signals.AnswerTo(during).WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.False(run.Instance.Exited.IsCompleted, "a stopped process has not ended");

        Assert.Equal(0, UnixSignals.Send(run.ProcessId, UnixSignals.Continue));
        UInt128 after = ProcessHarness.Run.NewKey();
        run.Instance.Probe(after);
        Assert.Equal(run.ExpectedResponse(after), await run.Signals.AnswerTo(after).WaitAsync(AnswerDeadline));
    }
}
