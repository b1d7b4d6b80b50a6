using System.Diagnostics.CodeAnalysis;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.DependencyInjection;

/// <summary>
/// Builder methods that declare the cluster's workloads (FS-7). Declare the same workloads on
/// every node; where each one runs and which node monitors it is decided by placement at
/// start and by the process swap after a failure. Settings in <c>Failover:Workloads</c> with
/// the same id are kept; the builder's <c>configure</c> runs after them.
/// </summary>
public static class WorkloadBuilderExtensions
{
    /// <summary>Declares an operating-system process workload; set at least <see cref="FailoverProcessOptions.FileName"/>.</summary>
    public static IFailoverBuilder AddProcessWorkload(this IFailoverBuilder builder, string workloadId, Action<FailoverWorkloadOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Declare(builder, workloadId, WorkloadKind.Process, configure, code: null);
    }

    /// <summary>
    /// Declares a task workload: <paramref name="run"/> runs until its token fires; returning or
    /// throwing before that is a failure, and the workload moves. Call
    /// <see cref="WorkloadContext.Heartbeat"/> from its loop when probed by heartbeats.
    /// </summary>
    public static IFailoverBuilder AddTaskWorkload(this IFailoverBuilder builder, string workloadId, Func<WorkloadContext, CancellationToken, Task> run, Action<FailoverWorkloadOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Declare(builder, workloadId, WorkloadKind.Task, configure, new WorkloadCode(workloadId) { TaskBody = run });
    }

    /// <summary>Declares a thread workload: <paramref name="run"/> runs on a dedicated thread and must return soon after its token fires.</summary>
    public static IFailoverBuilder AddThreadWorkload(this IFailoverBuilder builder, string workloadId, Action<WorkloadContext, CancellationToken> run, Action<FailoverWorkloadOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Declare(builder, workloadId, WorkloadKind.Thread, configure, new WorkloadCode(workloadId) { ThreadBody = run });
    }

    /// <summary>
    /// Declares a hosted-service workload: a fresh <typeparamref name="TService"/> is created from
    /// the container for each run (its constructor may take the run's <see cref="WorkloadContext"/>),
    /// started, and stopped when the workload moves away.
    /// </summary>
    public static IFailoverBuilder AddHostedServiceWorkload<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>(this IFailoverBuilder builder, string workloadId, Action<FailoverWorkloadOptions>? configure = null)
        where TService : class, IHostedService =>
        Declare(builder, workloadId, WorkloadKind.HostedService, configure, new WorkloadCode(workloadId)
        {
            HostedServiceFactory = (services, context) => ActivatorUtilities.CreateInstance<TService>(services, context),
        });

    private static IFailoverBuilder Declare(IFailoverBuilder builder, string workloadId, WorkloadKind kind, Action<FailoverWorkloadOptions>? configure, WorkloadCode? code)
    {
        ArgumentNullException.ThrowIfNull(builder);
        WorkloadIds.Validate(workloadId);
        builder.Services.Configure<FailoverOptions>(options =>
        {
            FailoverWorkloadOptions? workload = options.Workloads.FirstOrDefault(w => string.Equals(w.Id, workloadId, StringComparison.Ordinal));
            if (workload is null)
            {
                workload = new FailoverWorkloadOptions { Id = workloadId };
                options.Workloads.Add(workload);
            }

            workload.Kind = kind;
            configure?.Invoke(workload);
        });
        if (code is not null)
        {
            builder.Services.AddSingleton(code);
        }

        return builder;
    }
}
