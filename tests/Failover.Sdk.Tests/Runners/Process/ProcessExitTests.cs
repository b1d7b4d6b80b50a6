using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;

namespace Failover.Sdk.Tests.Runners;

/// <summary>How a process workload that ends by itself is reported.</summary>
[Collection(RealProcesses.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit v2 ends it in IAsyncLifetime.DisposeAsync.")]
public sealed class ProcessExitTests : IAsyncLifetime
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);
    private ProcessHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = new ProcessHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [SkippableFact]
    public async Task A_non_zero_exit_code_is_a_crash_with_that_code()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("exit-3", ["exit", "3"], waitForHello: false);

        WorkloadExit exit = await run.Instance.Exited.WaitAsync(ExitDeadline);
        Assert.Equal(new WorkloadExit(WorkloadExitKind.Crashed, 3, "exit code 3"), exit);
        Assert.False(exit.WasStopped);

        // Ended, it needs no stop, and a stop returns the same ending at once.
        Assert.Equal(exit, await run.Instance.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [SkippableFact]
    public async Task Exit_code_zero_is_completed()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("exit-0", ["exit", "0"], waitForHello: false);

        WorkloadExit exit = await run.Instance.Exited.WaitAsync(ExitDeadline);
        Assert.Equal(WorkloadExitKind.Completed, exit.Kind);
        Assert.Equal(0, exit.ExitCode);
    }

    [SkippableFact]
    public async Task A_kill_from_outside_is_a_crash_by_signal_9()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("killed-1", ["run"]);

        Assert.Equal(0, UnixSignals.Send(run.ProcessId, UnixSignals.Kill));
        WorkloadExit exit = await run.Instance.Exited.WaitAsync(ExitDeadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Equal(137, exit.ExitCode);
        Assert.Equal("killed by signal 9 (SIGKILL)", exit.Detail);
    }

    [SkippableFact]
    public async Task An_ended_run_gives_up_its_channel_registration_so_the_next_run_can_start()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run first = await _harness.StartAsync("again-1", ["exit", "5"], waitForHello: false);
        await first.Instance.Exited.WaitAsync(ExitDeadline);

        ProcessHarness.Run second = await _harness.StartAsync("again-1", ["run"]);
        UInt128 key = ProcessHarness.Run.NewKey();
        second.Instance.Probe(key);
        Assert.Equal(second.ExpectedResponse(key), await second.Signals.AnswerTo(key).WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
