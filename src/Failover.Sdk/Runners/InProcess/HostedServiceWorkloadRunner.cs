using Failover.Sdk.Workloads;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// Runs <see cref="WorkloadKind.HostedService"/> workloads: a fresh service from the
/// descriptor's factory for each run, started with <c>StartAsync</c> and stopped with
/// <c>StopAsync</c>, then disposed.
/// </summary>
internal sealed class HostedServiceWorkloadRunner : IWorkloadRunner
{
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public HostedServiceWorkloadRunner(IServiceProvider services, TimeProvider time, ILogger<HostedServiceWorkloadRunner> logger)
    {
        _services = services;
        _time = time;
        _logger = logger;
    }

    public WorkloadKind Kind => WorkloadKind.HostedService;

    /// <exception cref="ArgumentException">The workload is not a hosted service, or the launch has no fencing token.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the service had started; it was disposed.</exception>
    public async ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken)
    {
        InProcessLaunch.Check(launch, Kind);
        cancellationToken.ThrowIfCancellationRequested();
        string id = launch.Workload.Id;
        Func<IServiceProvider, WorkloadContext, IHostedService> factory = launch.Workload.HostedServiceFactory
            ?? throw new WorkloadStartException(id, "it is a hosted service workload without a service factory.");

        IHostedService? service;
        try
        {
            service = factory(_services, InProcessLaunch.ContextFor(launch));
        }
#pragma warning disable CA1031 // Whatever the user's factory throws is a start failure of this workload.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new WorkloadStartException(id, $"its service factory threw {InProcessLaunch.Describe(ex)}", ex);
        }

        if (service is null)
        {
            throw new WorkloadStartException(id, "its service factory returned null.");
        }

        try
        {
            // A BackgroundService links its stopping token to this one for good; a source we drop
            // once started keeps the caller's token from stopping the run later, behind our back.
            using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await service.StartAsync(starting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await HostedServiceDisposal.DisposeAsync(service, id, _logger).ConfigureAwait(false);
            throw;
        }
#pragma warning disable CA1031 // Whatever the service's StartAsync throws is a start failure of this workload.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await HostedServiceDisposal.DisposeAsync(service, id, _logger).ConfigureAwait(false);
            throw new WorkloadStartException(id, $"{service.GetType().Name}.StartAsync threw {InProcessLaunch.Describe(ex)}", ex);
        }

        var instance = new HostedServiceInstance(launch, service, _time, _logger);
        instance.LogStarted();
        instance.Watch();
        return instance;
    }
}
