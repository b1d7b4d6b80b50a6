using Failover.Sdk.Configuration;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
}
