using System.Diagnostics.CodeAnalysis;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.DependencyInjection;

/// <summary>Builder methods for <see cref="IFailoverBuilder"/>.</summary>
public static class FailoverBuilderExtensions
{
    /// <summary>Applies <paramref name="configure"/> to the options after the configuration is bound.</summary>
    public static IFailoverBuilder Configure(this IFailoverBuilder builder, Action<FailoverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Carries frames through <paramref name="network"/>, shared with other agents in this
    /// process (several hosts in one demo or test), instead of a network of this container's own.
    /// </summary>
    public static IFailoverBuilder UseInMemoryNetwork(this IFailoverBuilder builder, InMemoryNetwork network)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(network);
        builder.Services.Replace(ServiceDescriptor.Singleton(network));
        builder.Services.Configure<FailoverOptions>(o => o.Transport = FailoverTransportKind.InMemory);
        return builder;
    }

    /// <summary>
    /// Keeps leases, ownership and membership in <paramref name="store"/> instead of this
    /// container's own in-memory store: an <see cref="InMemoryCoordinationStore"/> shared by
    /// several hosts in one process, or a store for a deployment that spans machines.
    /// </summary>
    public static IFailoverBuilder UseCoordinationStore(this IFailoverBuilder builder, ICoordinationStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        builder.Services.Replace(ServiceDescriptor.Singleton(new CoordinationStoreScope(IsShared: true)));
        return builder;
    }

    /// <summary>Like <see cref="UseCoordinationStore(IFailoverBuilder, ICoordinationStore)"/>, with the store made by <paramref name="create"/> from the container.</summary>
    public static IFailoverBuilder UseCoordinationStore(this IFailoverBuilder builder, Func<IServiceProvider, ICoordinationStore> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        builder.Services.Replace(ServiceDescriptor.Singleton(create));
        builder.Services.Replace(ServiceDescriptor.Singleton(new CoordinationStoreScope(IsShared: true)));
        return builder;
    }

    /// <summary>
    /// Runs <typeparamref name="TService"/> on exactly one node of the cluster, and moves it
    /// when that node dies (EX-6). Every node registers it; the one that owns
    /// <paramref name="workloadId"/> in the coordination store runs a fresh instance for as long
    /// as it holds the ownership, and stops it (within the lease safety margin) when it loses it.
    /// The service can read its fencing token from <see cref="FailoverCoordinator.GetTerm"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="workloadId">The workload's id, the same on every node: 1 to 128 ASCII letters, digits, '-', '_', '.' or ':'.</param>
    public static IFailoverBuilder RunOnOneNode<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>(this IFailoverBuilder builder, string workloadId)
        where TService : class, IHostedService
    {
        ArgumentNullException.ThrowIfNull(builder);
        WorkloadIds.Validate(workloadId);
        builder.Services.AddSingleton<IHostedService>(sp => new SingleNodeService<TService>(
            workloadId,
            sp,
            sp.GetRequiredService<FailoverCoordinator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<FailoverOptions>>().Value.Coordination.LeaseSafetyMargin,
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<FailoverCoordinator>()));
        return builder;
    }
}
