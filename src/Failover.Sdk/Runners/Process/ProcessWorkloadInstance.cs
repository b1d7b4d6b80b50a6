using System.ComponentModel;
using System.Diagnostics;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// One run of a process workload: watches it end (an exit, a signal, a zombie), hands it
/// probe keys through the local channel, and stops it and every process it started.
/// </summary>
/// <remarks>
/// Only this process and its descendants are ever signalled, by pid, and a descendant only
/// while its start time still matches the one seen when it was found, so a pid the system
/// has since given to another process is never hit.
/// </remarks>
internal sealed class ProcessWorkloadInstance : IWorkloadInstance
{
    /// <summary>How often /proc is read for a zombie, besides at every probe.</summary>
    private static readonly TimeSpan AliveCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a process must stay dead in /proc, unreported by .NET, to be called a zombie.</summary>
    private static readonly TimeSpan ZombieConfirmation = TimeSpan.FromSeconds(1);

    /// <summary>How long a SIGKILLed process may take until its end is reported; longer means it is stuck in the kernel.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>How long killed descendants may take to be gone before the stop reports without them.</summary>
    private static readonly TimeSpan DescendantsWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan DescendantsPoll = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private readonly WorkloadDescriptor _workload;
    private readonly IDisposable _registration;
    private readonly LocalWorkloadChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProcStat? _identity;

    /// <summary>How the process ended by itself, whoever asked: the exit watcher or the zombie check.</summary>
    private readonly TaskCompletionSource<WorkloadExit> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly TaskCompletionSource<WorkloadExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cut short a stop's grace period when the instance is disposed meanwhile.</summary>
    private readonly CancellationTokenSource _killNow = new();

    private readonly ITimer? _aliveTimer;
    private readonly Lock _gate = new();

    /// <summary>Set, under the lock, by the first stop; from then on the stop alone completes <see cref="Exited"/>.</summary>
    private TaskCompletionSource<WorkloadExit>? _stopping;

    /// <summary>Set, under the lock, when the process ended before any stop; a stop then returns that ending.</summary>
    private bool _endedByItself;

    /// <summary>When the process was first seen dead while still running for .NET; 0 when it was not.</summary>
    private long _deadSince;
    private int _disposed;

    public ProcessWorkloadInstance(
        Process process,
        WorkloadDescriptor workload,
        long fencingToken,
        IDisposable registration,
        LocalWorkloadChannel channel,
        TimeProvider time,
        ILogger logger)
    {
        _process = process;
        _workload = workload;
        _registration = registration;
        _channel = channel;
        _time = time;
        _logger = logger;
        FencingToken = fencingToken;
        ProcessId = process.Id;
        if (ProcStat.TryRead(process.Id, out ProcStat stat))
        {
            _identity = stat;
        }

        _ = WatchExitAsync();
        if (OperatingSystem.IsLinux())
        {
            _aliveTimer = time.CreateTimer(static state => ((ProcessWorkloadInstance)state!).CheckAlive(), this, AliveCheckInterval, AliveCheckInterval);
        }
    }

    public string WorkloadId => _workload.Id;

    public long FencingToken { get; }

    public int? ProcessId { get; }

    public Task<WorkloadExit> Exited => _exited.Task;

    public void Probe(UInt128 key)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        CheckAlive();
        _channel.SendProbe(_workload.WireId, key);
    }

    public Task<WorkloadExit> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        bool first = false;
        Task<WorkloadExit> stop;
        lock (_gate)
        {
            if (_endedByItself)
            {
                return _exited.Task.WaitAsync(cancellationToken);
            }

            if (_stopping is null)
            {
                _stopping = new TaskCompletionSource<WorkloadExit>(TaskCreationOptions.RunContinuationsAsynchronously);
                first = true;
            }

            stop = _stopping.Task;
        }

        if (first)
        {
            _ = RunStopAsync(gracePeriod < TimeSpan.Zero && gracePeriod != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : gracePeriod);
        }

        // The caller's token ends only its wait: a stop once begun always runs to the end.
        return stop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _killNow.CancelAsync().ConfigureAwait(false);
        await StopAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        if (_aliveTimer is not null)
        {
            await _aliveTimer.DisposeAsync().ConfigureAwait(false);
        }

        _registration.Dispose();
        _process.Dispose();
        _killNow.Dispose();
    }

    private async Task WatchExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            OnEnded(ProcessExit.Classify(_process.ExitCode));
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or ObjectDisposedException)
        {
            // The handle no longer tells (or was disposed after a kill that never finished):
            // the process is gone, how is unknown.
            OnEnded(new WorkloadExit(WorkloadExitKind.Zombie, null, $"its exit could not be read: {ex.Message}"));
        }
    }

    /// <summary>
    /// Looks at /proc for a process that is dead while .NET still thinks it runs: a zombie, or
    /// gone from under its handle. Never throws; called from the timer and at every probe.
    /// </summary>
    /// <remarks>
    /// Every child is a zombie for a moment, between its exit and the runtime reaping it; only
    /// one that stays dead for <see cref="ZombieConfirmation"/> is reported, so a normal exit
    /// is always told with its real exit code.
    /// </remarks>
    private void CheckAlive()
    {
        if (!OperatingSystem.IsLinux() || _ended.Task.IsCompleted)
        {
            return;
        }

        try
        {
            bool found = ProcStat.TryRead(ProcessId!.Value, out ProcStat stat);
            bool same = found && (_identity is null || stat.IsSameProcess(_identity.Value));
            if ((same && !stat.IsDead) || _process.HasExited)
            {
                Volatile.Write(ref _deadSince, 0);
                return;
            }

            long now = _time.GetTimestamp();
            long since = Interlocked.CompareExchange(ref _deadSince, now, 0);
            if (since == 0 || _time.GetElapsedTime(since, now) < ZombieConfirmation)
            {
                return;
            }

            OnEnded(same
                ? new WorkloadExit(WorkloadExitKind.Zombie, null, $"process state {stat.State} ({(stat.State == 'Z' ? "zombie" : "dead")}) in /proc, its exit never reported")
                : new WorkloadExit(WorkloadExitKind.Zombie, null, "gone from /proc, its exit never reported"));
        }
        catch (InvalidOperationException)
        {
            // The handle is being disposed: the run is over.
        }
    }

    private void OnEnded(WorkloadExit exit)
    {
        if (!_ended.TrySetResult(exit))
        {
            return;
        }

        bool byItself;
        lock (_gate)
        {
            byItself = _endedByItself = _stopping is null;
        }

        if (byItself)
        {
            Complete(exit, stopped: false);
        }
    }

    private void Complete(WorkloadExit exit, bool stopped)
    {
        if (!_exited.TrySetResult(exit))
        {
            return;
        }

        _aliveTimer?.Dispose();

        // The run is over: a new run of the workload may register at once.
        _registration.Dispose();
        if (stopped)
        {
            ProcessRunnerLog.Stopped(_logger, WorkloadId, ProcessId!.Value, exit.Kind, exit.Detail);
        }
        else
        {
            ProcessRunnerLog.EndedByItself(_logger, WorkloadId, ProcessId!.Value, exit.Kind, exit.Detail);
        }
    }

    private async Task RunStopAsync(TimeSpan grace)
    {
        WorkloadExit exit;
        try
        {
            exit = await StopCoreAsync(grace).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Exited must complete whatever went wrong; the log says what.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ProcessRunnerLog.KillFailed(_logger, ex, WorkloadId, ProcessId!.Value);
            exit = new WorkloadExit(WorkloadExitKind.Killed, null, $"the stop failed: {ex.Message}");
        }

        Complete(exit, stopped: true);
        _stopping!.TrySetResult(_exited.Task.Result);
    }

    private async Task<WorkloadExit> StopCoreAsync(TimeSpan grace)
    {
        int pid = ProcessId!.Value;

        // Before anything is signalled: once the process has exited, its children are
        // re-parented and can no longer be found from it.
        List<ProcStat> descendants = ProcessTree.Descendants(pid);
        ProcessRunnerLog.Stopping(_logger, WorkloadId, pid, descendants.Count, grace);

        WorkloadExit exit;
        if (_ended.Task.IsCompleted)
        {
            WorkloadExit ended = await _ended.Task.ConfigureAwait(false);
            exit = new WorkloadExit(WorkloadExitKind.Stopped, ended.ExitCode, $"ended as the stop began: {ended.Detail}");
        }
        else if (OperatingSystem.IsWindows() || grace == TimeSpan.Zero)
        {
            // Windows has no SIGTERM (a console Ctrl+C reaches only processes sharing the
            // agent's console), so there the stop is the kill; so is a stop with no grace.
            exit = await KillAsync(descendants, grace).ConfigureAwait(false);
        }
        else
        {
            if (!_process.HasExited)
            {
                // Not yet reaped, so the pid is still this process's and no other's.
                Signal(pid, UnixSignals.Terminate);
            }

            try
            {
                WorkloadExit ended = await _ended.Task.WaitAsync(grace, _time, _killNow.Token).ConfigureAwait(false);
                exit = new WorkloadExit(WorkloadExitKind.Stopped, ended.ExitCode, $"stopped by SIGTERM: {ended.Detail}");
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                ProcessRunnerLog.Killing(_logger, WorkloadId, pid, grace);
                exit = await KillAsync(descendants, grace).ConfigureAwait(false);
            }
        }

        // A workload that exits on SIGTERM may leave its children running; after a stop
        // nothing of it may go on, so whatever is left of its tree is killed too.
        await KillLeftoversAsync(descendants).ConfigureAwait(false);
        return exit;
    }

    private async Task<WorkloadExit> KillAsync(List<ProcStat> descendants, TimeSpan grace)
    {
        int pid = ProcessId!.Value;

        // Children started during the grace period are in the tree now, not in the snapshot.
        foreach (ProcStat late in ProcessTree.Descendants(pid))
        {
            if (!descendants.Exists(late.IsSameProcess))
            {
                descendants.Add(late);
            }
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is Win32Exception or NotSupportedException or InvalidOperationException)
        {
            ProcessRunnerLog.KillFailed(_logger, ex, WorkloadId, pid);
        }

        string why = grace == TimeSpan.Zero ? "killed at once" : $"did not stop within {grace}, killed";
        try
        {
            WorkloadExit ended = await _ended.Task.WaitAsync(KillWait, _time).ConfigureAwait(false);
            return new WorkloadExit(WorkloadExitKind.Killed, ended.ExitCode, $"{why} ({ended.Detail})");
        }
        catch (TimeoutException)
        {
            return new WorkloadExit(WorkloadExitKind.Killed, null, $"{why}, but its end was not reported within {KillWait}");
        }
    }

    private async Task KillLeftoversAsync(List<ProcStat> descendants)
    {
        foreach (ProcStat descendant in descendants)
        {
            if (ProcStat.IsAlive(descendant))
            {
                Signal(descendant.ProcessId, UnixSignals.Kill);
                ProcessRunnerLog.DescendantKilled(_logger, WorkloadId, descendant.ProcessId);
            }
        }

        // Bounded in count and time: a process stuck in the kernel is reported, not awaited.
        int polls = (int)(DescendantsWait / DescendantsPoll);
        for (int i = 0; i < polls && descendants.Exists(ProcStat.IsAlive); i++)
        {
            await Task.Delay(DescendantsPoll, _time).ConfigureAwait(false);
        }

        List<ProcStat> survivors = descendants.FindAll(ProcStat.IsAlive);
        if (survivors.Count > 0)
        {
            ProcessRunnerLog.SurvivorsLeft(_logger, WorkloadId, string.Join(", ", survivors.Select(s => s.ProcessId)), DescendantsWait);
        }
    }

    private void Signal(int pid, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int errno = UnixSignals.Send(pid, signal);
        if (errno is not 0 and not UnixSignals.NoSuchProcess)
        {
            ProcessRunnerLog.SignalFailed(_logger, WorkloadId, pid, signal, errno);
        }
    }
}
