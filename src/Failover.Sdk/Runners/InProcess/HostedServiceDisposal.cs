using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>Disposes a hosted service the way the host would, logging instead of throwing: the run has ended either way.</summary>
internal static class HostedServiceDisposal
{
    public static async Task DisposeAsync(IHostedService service, string workloadId, ILogger logger)
    {
        try
        {
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
#pragma warning disable CA1031 // A service that fails to dispose has still ended; what the caller hears about is that ending.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RunnerLog.DisposeFailed(logger, workloadId, service.GetType().Name, ex);
        }
    }
}
