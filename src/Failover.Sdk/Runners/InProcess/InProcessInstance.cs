using System.Globalization;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// What a task, a thread and a hosted-service run share: one ending, decided once, whether
/// the code ends by itself or is stopped; probes answered until then. Code in this process
/// cannot be killed, so a run that ignores its stop within the grace period is abandoned and
/// reported <see cref="WorkloadExitKind.Killed"/>.
/// </summary>
internal abstract class InProcessInstance : IWorkloadInstance
{
    // The longest delay a CancellationTokenSource on a TimeProvider accepts.
    private static readonly TimeSpan MaxGracePeriod = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TaskCompletionSource<WorkloadExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly ProbeResponder _probes;
    private readonly uint _nodeId;
    private RunState _state;
    private int _disposed;

    protected InProcessInstance(WorkloadLaunch launch, TimeProvider time, ILogger logger)
    {
        Workload = launch.Workload;
        FencingToken = launch.FencingToken;
        _nodeId = launch.NodeId;
        Time = time;
        Logger = logger;
        _probes = new ProbeResponder(launch.Workload, launch.Signals);
    }

    private enum RunState
    {
        Running,
        Stopping,
        Ended,
    }

    public string WorkloadId => Workload.Id;

    public long FencingToken { get; }

    public int? ProcessId => null;

    public Task<WorkloadExit> Exited => _exited.Task;

    protected WorkloadDescriptor Workload { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    public void Probe(UInt128 key) => _probes.Answer(key);

    /// <remarks>
    /// The first call decides the grace period; later calls wait for the same ending.
    /// <paramref name="cancellationToken"/> gives up the wait, not the stop: <see cref="Exited"/>
    /// still completes.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gracePeriod"/> is negative or longer than about 49 days.</exception>
    public Task<WorkloadExit> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gracePeriod, MaxGracePeriod);
        bool first;
        lock (_gate)
        {
            first = _state == RunState.Running;
            if (first)
            {
                _state = RunState.Stopping;
            }
        }

        if (first)
        {
            _probes.Close();

            // Outside the lock: stopping may run the code's cancellation callbacks, which may end it and call back in here.
            _ = StopThenEndAsync(gracePeriod);
        }

        return _exited.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the run at once (grace zero) if it is still running, then lets go of what it holds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        await ReleaseAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Logs the start; the runner calls it once the run has begun.</summary>
    public void LogStarted() => RunnerLog.Started(Logger, WorkloadId, Workload.Kind, _nodeId, FencingToken);

    /// <summary>
    /// Asks the code to stop and waits up to <paramref name="gracePeriod"/> (on <see cref="Time"/>)
    /// for it to end. Returns the ending and, for a crash, its exception.
    /// </summary>
    protected abstract Task<(WorkloadExit Exit, Exception? Error)> StopRunAsync(TimeSpan gracePeriod);

    /// <summary>Lets go of what the run holds once it has ended or been abandoned.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The code ended without being asked to: a returned body is <see cref="WorkloadExitKind.Completed"/>
    /// (a workload is meant to run until stopped), a thrown one <see cref="WorkloadExitKind.Crashed"/>.
    /// Returns false, doing nothing, when a stop is under way: the stop decides the ending then.
    /// </summary>
    protected bool EndedByItself(Exception? error)
    {
        lock (_gate)
        {
            if (_state != RunState.Running)
            {
                return false;
            }

            _state = RunState.Ended;
        }

        _probes.Close();
        End(error is null
            ? new WorkloadExit(WorkloadExitKind.Completed, null, "returned without being asked to stop")
            : new WorkloadExit(WorkloadExitKind.Crashed, null, InProcessLaunch.Describe(error)), error);
        return true;
    }

    /// <summary>How code that ended after being asked to stop did so: returning or cancelled is a stop; any other exception a crash.</summary>
    protected static (WorkloadExit Exit, Exception? Error) EndedWhenStopped(Exception? error) => error switch
    {
        null => (new WorkloadExit(WorkloadExitKind.Stopped, null, "returned when asked to stop"), null),
        OperationCanceledException => (new WorkloadExit(WorkloadExitKind.Stopped, null, "cancelled when asked to stop"), null),
        _ => (new WorkloadExit(WorkloadExitKind.Crashed, null, $"{InProcessLaunch.Describe(error)} (while stopping)"), error),
    };

    /// <summary>The ending of code that did not stop within the grace period and is left to run on unwatched.</summary>
    /// <param name="ignoredStop">What the code failed to do, e.g. "thread did not stop".</param>
    /// <param name="gracePeriod">How long it was given.</param>
    /// <param name="whyAbandoned">Why it could not be killed instead, e.g. "threads cannot be killed".</param>
    protected static (WorkloadExit Exit, Exception? Error) Abandoned(string ignoredStop, TimeSpan gracePeriod, string whyAbandoned) =>
        (new WorkloadExit(
            WorkloadExitKind.Killed,
            null,
            string.Create(CultureInfo.InvariantCulture, $"{ignoredStop} within {gracePeriod.TotalMilliseconds:0.###} ms; abandoned ({whyAbandoned})")), null);

    /// <summary>Whether <paramref name="ended"/> completes before <paramref name="graceOver"/> fires.</summary>
    protected static async Task<bool> EndsBeforeAsync(Task ended, CancellationToken graceOver)
    {
        if (!ended.IsCompleted && !graceOver.IsCancellationRequested)
        {
            var over = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (graceOver.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), over))
            {
                await Task.WhenAny(ended, over.Task).ConfigureAwait(false);
            }
        }

        return ended.IsCompleted;
    }

    /// <summary>The exception <paramref name="body"/> ended with, or null; never faults.</summary>
    protected static async Task<Exception?> OutcomeAsync(Task body)
    {
        try
        {
            await body.ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // Any exception the workload's code throws is how it ended, reported in its exit.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }

    private async Task StopThenEndAsync(TimeSpan gracePeriod)
    {
        (WorkloadExit Exit, Exception? Error) ending;
        try
        {
            ending = await StopRunAsync(gracePeriod).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Exited never faults: a failure to stop is an ending like any other.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ending = (new WorkloadExit(WorkloadExitKind.Crashed, null, $"stopping failed: {InProcessLaunch.Describe(ex)}"), ex);
        }

        lock (_gate)
        {
            _state = RunState.Ended;
        }

        End(ending.Exit, ending.Error);
    }

    private void End(WorkloadExit exit, Exception? error)
    {
        switch (exit.Kind)
        {
            case WorkloadExitKind.Completed:
                RunnerLog.Completed(Logger, WorkloadId, Workload.Kind, _nodeId, FencingToken);
                break;
            case WorkloadExitKind.Stopped:
                RunnerLog.Stopped(Logger, WorkloadId, Workload.Kind, _nodeId, exit.Detail);
                break;
            case WorkloadExitKind.Killed:
                RunnerLog.Abandoned(Logger, WorkloadId, Workload.Kind, _nodeId, exit.Detail);
                break;
            default:
                RunnerLog.Crashed(Logger, WorkloadId, Workload.Kind, _nodeId, FencingToken, exit.Detail, error);
                break;
        }

        _exited.TrySetResult(exit);
    }
}
