using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Coordination;

/// <summary>
/// Runs a hosted service on exactly one node of the cluster at a time (EX-6): the node that
/// owns <c>workloadId</c>. A fresh instance starts for every term of ownership and is stopped
/// when the term ends; the service reads its fencing token from
/// <see cref="FailoverCoordinator.GetTerm"/>.
/// </summary>
internal sealed class SingleNodeService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService> : BackgroundService
    where TService : class, IHostedService
{
    private readonly string _workloadId;
    private readonly IServiceProvider _services;
    private readonly FailoverCoordinator _coordinator;
    private readonly TimeProvider _time;
    private readonly TimeSpan _stopTimeout;
    private readonly ILogger _logger;

    public SingleNodeService(string workloadId, IServiceProvider services, FailoverCoordinator coordinator, TimeProvider time, TimeSpan stopTimeout, ILogger logger)
    {
        _workloadId = workloadId;
        _services = services;
        _coordinator = coordinator;
        _time = time;
        _stopTimeout = stopTimeout;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => _coordinator.RunAsOwnerAsync(_workloadId, RunTermAsync, stoppingToken);

    private async Task RunTermAsync(OwnershipTerm term)
    {
        string name = typeof(TService).Name;
        TService service = ActivatorUtilities.CreateInstance<TService>(_services);
        try
        {
            // A BackgroundService links its stopping token to this one: it sees the term end at once.
            await service.StartAsync(term.Ended).ConfigureAwait(false);
            CoordinationLog.ServiceStarted(_logger, name, _coordinator.NodeId, _workloadId, term.FencingToken);
            await TokenTasks.WhenCancelledAsync(term.Ended).ConfigureAwait(false);
        }
        finally
        {
            // Within the lease safety margin: after it, another node may start its own copy.
            using var stopTimeout = new CancellationTokenSource(_stopTimeout, _time);
            try
            {
                await service.StopAsync(stopTimeout.Token).ConfigureAwait(false);
                CoordinationLog.ServiceStopped(_logger, name, _coordinator.NodeId, _workloadId);
            }
#pragma warning disable CA1031 // A service that fails to stop must not take the campaign down with it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                CoordinationLog.ServiceStopFailed(_logger, name, _coordinator.NodeId, ex);
            }

            switch (service)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
