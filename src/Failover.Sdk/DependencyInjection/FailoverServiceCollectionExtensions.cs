using System.Diagnostics.Metrics;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.Telemetry;
using Failover.Sdk.Transports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Runners;
using Failover.Sdk.Workloads;

#pragma warning disable IDE0130 // Extension methods on IServiceCollection live in its namespace, where users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Failover.Sdk in a service collection.</summary>
public static class FailoverServiceCollectionExtensions
{
    /// <summary>
    /// Registers the failover agent and its transports, with options bound from the
    /// configuration section <c>Failover</c> and validated when the host starts.
    /// Calling it again is harmless.
    /// </summary>
    public static IFailoverBuilder AddFailover(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(FailoverConfigurationBinding.Source)))
        {
            return new FailoverBuilder(services);
        }

        services.AddSingleton(new FailoverConfigurationBinding.Source());
        services.AddSingleton<IConfigureOptions<FailoverOptions>, FailoverConfigurationBinding>();
        services.AddOptions<FailoverOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FailoverOptions>, FailoverOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InMemoryNetwork>();
        services.TryAddSingleton(sp => sp.GetService<IMeterFactory>() is { } meters ? new FailoverMetrics(meters) : FailoverMetrics.Disabled);
        services.TryAddSingleton(sp => TransportFactory.Create(
            sp.GetRequiredService<IOptions<FailoverOptions>>().Value,
            sp.GetRequiredService<InMemoryNetwork>(),
            sp.GetRequiredService<TimeProvider>(),
            LoggerFactory(sp),
            sp.GetRequiredService<FailoverMetrics>()));
        services.TryAddSingleton(sp => new FailoverAgent(
            sp.GetRequiredService<IOptions<FailoverOptions>>(),
            sp.GetRequiredService<TransportSet>(),
            sp.GetRequiredService<TimeProvider>(),
            LoggerFactory(sp).CreateLogger<FailoverAgent>(),
            sp.GetRequiredService<FailoverMetrics>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FailoverAgent>(sp => sp.GetRequiredService<FailoverAgent>()));

        // One process, one store: replaced by UseCoordinationStore (etcd, the simulator's).
        services.TryAddSingleton<ICoordinationStore>(sp => new InMemoryCoordinationStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new FailoverCoordinator(
            sp.GetRequiredService<ICoordinationStore>(),
            sp.GetRequiredService<FailoverAgent>(),
            sp.GetRequiredService<IOptions<FailoverOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            LoggerFactory(sp).CreateLogger<FailoverCoordinator>(),
            sp.GetRequiredService<FailoverMetrics>()));
        // After the agent: hosts start services in order and stop them in reverse, so the lease
        // is revoked (and workloads move) before the agent goes silent.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FailoverCoordinator>(sp => sp.GetRequiredService<FailoverCoordinator>()));
        services.TryAddSingleton(new CoordinationStoreScope(IsShared: false));

        // The runners of the four kinds (FS-7); the simulator registers its own instead.
        // The runners of the four kinds (FS-7); the simulator registers its own instead.
        services.TryAddSingleton(sp => new LocalWorkloadChannel(sp.GetRequiredService<TimeProvider>(), LoggerFactory(sp).CreateLogger<LocalWorkloadChannel>(), sp.GetRequiredService<IOptions<FailoverOptions>>().Value.NodeId));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkloadRunner, ProcessWorkloadRunner>(sp => new ProcessWorkloadRunner(sp.GetRequiredService<LocalWorkloadChannel>(), sp.GetRequiredService<TimeProvider>(), LoggerFactory(sp).CreateLogger<ProcessWorkloadRunner>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkloadRunner, TaskWorkloadRunner>(sp => new TaskWorkloadRunner(sp.GetRequiredService<TimeProvider>(), LoggerFactory(sp).CreateLogger<TaskWorkloadRunner>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkloadRunner, ThreadWorkloadRunner>(sp => new ThreadWorkloadRunner(sp.GetRequiredService<TimeProvider>(), LoggerFactory(sp).CreateLogger<ThreadWorkloadRunner>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkloadRunner, HostedServiceWorkloadRunner>(sp => new HostedServiceWorkloadRunner(sp, sp.GetRequiredService<TimeProvider>(), LoggerFactory(sp).CreateLogger<HostedServiceWorkloadRunner>())));
        services.TryAddSingleton(sp => new FailoverWorkloads(
            sp.GetRequiredService<IOptions<FailoverOptions>>().Value,
            sp.GetRequiredService<FailoverAgent>(),
            sp.GetRequiredService<FailoverCoordinator>(),
            sp.GetServices<IWorkloadRunner>(),
            sp.GetServices<WorkloadCode>(),
            sp.GetRequiredService<CoordinationStoreScope>(),
            sp.GetRequiredService<TimeProvider>(),
            LoggerFactory(sp).CreateLogger<FailoverWorkloads>(),
            sp.GetRequiredService<FailoverMetrics>()));
        // After the coordinator: workloads need its lease to start, and stop before it revokes.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FailoverWorkloads>(sp => sp.GetRequiredService<FailoverWorkloads>()));
        return new FailoverBuilder(services);
    }

    /// <summary>Like <see cref="AddFailover(IServiceCollection)"/>, then applies <paramref name="configure"/> after the configuration is bound.</summary>
    public static IFailoverBuilder AddFailover(this IServiceCollection services, Action<FailoverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        IFailoverBuilder builder = services.AddFailover();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Like <see cref="AddFailover(IServiceCollection)"/>, binding the options from <paramref name="section"/> instead of <c>Failover</c>.</summary>
    public static IFailoverBuilder AddFailover(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        IFailoverBuilder builder = services.AddFailover();
        var source = (FailoverConfigurationBinding.Source)services.First(d => d.ServiceType == typeof(FailoverConfigurationBinding.Source)).ImplementationInstance!;
        source.Section = section;
        return builder;
    }

    /// <summary>Like <see cref="AddFailover(IServiceCollection)"/>, then lets <paramref name="build"/> configure the builder.</summary>
    public static IServiceCollection AddFailover(this IServiceCollection services, Action<IFailoverBuilder> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        build(services.AddFailover());
        return services;
    }

    private static ILoggerFactory LoggerFactory(IServiceProvider services) =>
        services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
