using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Stopping a process workload: SIGTERM first, the kill after the grace period, and nothing of its tree left.</summary>
[Collection(RealProcesses.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit v2 ends it in IAsyncLifetime.DisposeAsync.")]
public sealed class ProcessStopTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("failover-stop-").FullName;
    private ProcessHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = new ProcessHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [SkippableFact]
    public async Task A_process_that_exits_on_SIGTERM_is_stopped_within_the_grace_period()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("stop-1", ["run"]);
        ProcStat identity = Identity(run.ProcessId);
        TimeSpan grace = TimeSpan.FromSeconds(20);

        long since = Stopwatch.GetTimestamp();
        WorkloadExit exit = await run.Instance.StopAsync(grace, CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(since) < grace, "stopped before the grace period ran out");
        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.Equal(0, exit.ExitCode);
        Assert.True(exit.WasStopped);
        Assert.Equal(exit, await run.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.False(ProcStat.IsAlive(identity), "the process is gone");
    }

    [SkippableFact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("stubborn-1", ["ignore-term"]);
        ProcStat identity = Identity(run.ProcessId);
        TimeSpan grace = TimeSpan.FromSeconds(1);

        long since = Stopwatch.GetTimestamp();
        WorkloadExit exit = await run.Instance.StopAsync(grace, CancellationToken.None);
        TimeSpan took = Stopwatch.GetElapsedTime(since);

        Assert.True(took >= grace, $"killed after {took.TotalMilliseconds:F0} ms, before the {grace} grace period ended");
        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.Equal(137, exit.ExitCode);
        Assert.Equal(exit, await run.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.False(ProcStat.IsAlive(identity), "the process is gone");
    }

    [SkippableFact]
    public async Task The_children_of_a_stopped_process_are_gone_too()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        string pidFile = Path.Combine(_folder, "child.pid");
        ProcessHarness.Run run = await _harness.StartAsync("parent-1", ["spawn-child", pidFile]);
        await Eventually.TrueAsync(() => File.Exists(pidFile), "the child's pid file", ProcessHarness.StartDeadline);
        int childPid = int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture);
        ProcStat child = Identity(childPid);
        _harness.Track(child);
        Assert.Equal(run.ProcessId, child.ParentId);

        // The workload exits 0 on SIGTERM and leaves its child behind; the runner kills it.
        WorkloadExit exit = await run.Instance.StopAsync(TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.False(ProcStat.IsAlive(child), $"the child sleep (pid {childPid}) is gone");
    }

    [SkippableFact]
    public async Task Disposing_a_running_instance_kills_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("dispose-1", ["ignore-term"]);
        ProcStat identity = Identity(run.ProcessId);

        await run.Instance.DisposeAsync();

        WorkloadExit exit = await run.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.False(ProcStat.IsAlive(identity), "the process is gone");
    }

    [SkippableFact]
    public async Task A_stop_whose_caller_gives_up_still_runs_to_its_end()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The process runner's tests run real processes on Linux.");
        ProcessHarness.Run run = await _harness.StartAsync("abandon-1", ["ignore-term"]);
        ProcStat identity = Identity(run.ProcessId);
        using var giveUp = new CancellationTokenSource();

        Task<WorkloadExit> stop = run.Instance.StopAsync(TimeSpan.FromMilliseconds(300), giveUp.Token);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stop);

        WorkloadExit exit = await run.Instance.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.False(ProcStat.IsAlive(identity), "the process is gone");
    }

    private static ProcStat Identity(int pid)
    {
        Assert.True(ProcStat.TryRead(pid, out ProcStat stat), $"process {pid} exists");
        Assert.False(stat.IsDead);
        return stat;
    }
}
