using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// A run of a task or thread body: stopped by cancelling the token it was given; a body that
/// does not end within the grace period is abandoned, since neither can be killed.
/// </summary>
internal sealed class CooperativeInstance : InProcessInstance
{
    private readonly CancellationTokenSource _cancel;
    private readonly Task<Exception?> _outcome;
    private readonly string _ignoredStop;
    private readonly string _whyAbandoned;
    private Task _cancelling = Task.CompletedTask;

    /// <param name="launch">The launch the body was started for.</param>
    /// <param name="cancel">The source of the body's token; the instance owns it from now on.</param>
    /// <param name="body">Completes when the body ends; faults with what it threw.</param>
    /// <param name="ignoredStop">What an abandoned run's detail says first, e.g. "thread did not stop".</param>
    /// <param name="whyAbandoned">Why it is abandoned rather than killed, e.g. "threads cannot be killed".</param>
    /// <param name="time">The clock the grace period runs on.</param>
    /// <param name="logger">Where the run's start and end are logged.</param>
    public CooperativeInstance(WorkloadLaunch launch, CancellationTokenSource cancel, Task body, string ignoredStop, string whyAbandoned, TimeProvider time, ILogger logger)
        : base(launch, time, logger)
    {
        _cancel = cancel;
        _ignoredStop = ignoredStop;
        _whyAbandoned = whyAbandoned;
        _outcome = OutcomeAsync(body);
    }

    /// <summary>Reports the body's own ending; the runner calls it once, after the start is logged.</summary>
    public void Watch() => _ = WatchAsync();

    protected override async Task<(WorkloadExit Exit, Exception? Error)> StopRunAsync(TimeSpan gracePeriod)
    {
        // The token's callbacks run on the thread pool: one that blocks must not hold up the grace period.
        _cancelling = CancelBodyAsync();
        using var graceOver = new CancellationTokenSource(gracePeriod, Time);
        return await EndsBeforeAsync(_outcome, graceOver.Token).ConfigureAwait(false)
            ? EndedWhenStopped(await _outcome.ConfigureAwait(false))
            : Abandoned(_ignoredStop, gracePeriod, _whyAbandoned);
    }

    protected override ValueTask ReleaseAsync()
    {
        // An abandoned body may still read its token, so its source stays undisposed until collected.
        if (_outcome.IsCompleted && _cancelling.IsCompleted)
        {
            _cancel.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task WatchAsync() => EndedByItself(await _outcome.ConfigureAwait(false));

    private async Task CancelBodyAsync()
    {
        try
        {
            await _cancel.CancelAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A cancellation callback of the workload's code that throws must not end the stop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RunnerLog.CancellationCallbackFailed(Logger, WorkloadId, ex);
        }
    }
}
