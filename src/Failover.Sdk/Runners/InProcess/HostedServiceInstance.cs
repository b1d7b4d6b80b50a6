using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// A run of a hosted service: stopped through its <c>StopAsync</c> with a token that fires
/// after the grace period, then disposed. A <see cref="BackgroundService"/> whose
/// <c>ExecuteTask</c> ends by itself has ended like a task, and is stopped and disposed then.
/// </summary>
internal sealed class HostedServiceInstance : InProcessInstance
{
    private readonly IHostedService _service;
    private readonly Task? _execute;

    public HostedServiceInstance(WorkloadLaunch launch, IHostedService service, TimeProvider time, ILogger logger)
        : base(launch, time, logger)
    {
        _service = service;
        _execute = (service as BackgroundService)?.ExecuteTask;
    }

    /// <summary>Reports the service's own ending, if it can end by itself; the runner calls it once, after the start is logged.</summary>
    public void Watch()
    {
        if (_execute is not null)
        {
            _ = WatchAsync(_execute);
        }
    }

    protected override async Task<(WorkloadExit Exit, Exception? Error)> StopRunAsync(TimeSpan gracePeriod)
    {
        // Not disposed when abandoned: the service may still be using its token.
        var graceOver = new CancellationTokenSource(gracePeriod, Time);

        // On the thread pool, so a StopAsync that blocks before its first await cannot hold up the grace period.
        Task<Exception?> teardown = Task.Run(() => TearDownAsync(graceOver.Token));
        bool ended = await EndsBeforeAsync(teardown, graceOver.Token).ConfigureAwait(false);
        Exception? error = ended ? await teardown.ConfigureAwait(false) : null;

        // A StopAsync that gave up when our token fired did not stop the service either.
        if (!ended || (error is OperationCanceledException && graceOver.IsCancellationRequested))
        {
            return Abandoned($"{_service.GetType().Name} did not stop", gracePeriod, "a hosted service cannot be killed");
        }

        graceOver.Dispose();
        return EndedWhenStopped(error);
    }

    private async Task WatchAsync(Task execute)
    {
        if (EndedByItself(await OutcomeAsync(execute).ConfigureAwait(false)))
        {
            // Nothing is left to wait for: whatever StartAsync set up beside its loop goes at once.
            _ = Task.Run(() => TearDownAsync(new CancellationToken(canceled: true)));
        }
    }

    /// <summary>Stops and disposes the service; returns what stopping it threw, or what its <c>ExecuteTask</c> ended with.</summary>
    /// <remarks>Called once: by the stop, or after the service ended by itself, whichever decided the ending.</remarks>
    private async Task<Exception?> TearDownAsync(CancellationToken graceOver)
    {
        Exception? error = null;
        try
        {
            await _service.StopAsync(graceOver).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // What StopAsync throws is how the run ended, reported in its exit.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        await HostedServiceDisposal.DisposeAsync(_service, WorkloadId, Logger).ConfigureAwait(false);

        // A BackgroundService's StopAsync neither waits past its token nor rethrows what ExecuteAsync threw.
        if (error is null && _execute is not null)
        {
            error = await OutcomeAsync(_execute).ConfigureAwait(false);
        }

        return error;
    }
}
