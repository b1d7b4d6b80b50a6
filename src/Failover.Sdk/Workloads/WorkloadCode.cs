using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Workloads;

/// <summary>The code of an in-process workload, registered by a builder method; its settings live in <see cref="Configuration.FailoverOptions.Workloads"/>.</summary>
internal sealed record WorkloadCode(string WorkloadId)
{
    public Func<WorkloadContext, CancellationToken, Task>? TaskBody { get; init; }

    public Action<WorkloadContext, CancellationToken>? ThreadBody { get; init; }

    public Func<IServiceProvider, WorkloadContext, IHostedService>? HostedServiceFactory { get; init; }
}
