using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd;
using Failover.Sdk.Etcd.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Beside the core's builder methods, where users of IFailoverBuilder look for them.
namespace Failover.Sdk.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Builder methods that keep the agent's leases and ownership in etcd.</summary>
public static class EtcdFailoverBuilderExtensions
{
    /// <summary>
    /// Keeps leases, workload ownership and membership in etcd (an
    /// <see cref="EtcdCoordinationStore"/>) instead of the in-process store, so every node of a
    /// deployment that spans machines agrees on them. The options are bound from
    /// <c>Failover:Etcd</c>, then <paramref name="configure"/> runs, and they are validated when
    /// the host starts.
    /// </summary>
    /// <param name="builder">The builder <c>AddFailover()</c> returned.</param>
    /// <param name="configure">Sets options in code, after the configuration is bound.</param>
    public static IFailoverBuilder UseEtcd(this IFailoverBuilder builder, Action<EtcdCoordinationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<EtcdCoordinationOptions>().ValidateOnStart();
        // Before any Configure call below, so code overrides configuration.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<EtcdCoordinationOptions>, EtcdConfigurationBinding>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EtcdCoordinationOptions>, EtcdCoordinationOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder.UseCoordinationStore(sp => new EtcdCoordinationStore(
            sp.GetRequiredService<IOptions<EtcdCoordinationOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<EtcdCoordinationStore>()));
    }
}
