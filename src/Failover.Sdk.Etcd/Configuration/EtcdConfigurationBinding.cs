using Failover.Sdk.Configuration;
using Failover.Sdk.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Etcd.Configuration;

/// <summary>
/// Binds <see cref="EtcdCoordinationOptions"/> from the <c>Etcd</c> child of the section the
/// agent's own options come from: <c>Failover:Etcd</c>, or <c>{section}:Etcd</c> after
/// <c>AddFailover(section)</c>, so one section configures the whole agent.
/// </summary>
internal sealed class EtcdConfigurationBinding(IServiceProvider services) : IConfigureOptions<EtcdCoordinationOptions>
{
    private const string ChildName = "Etcd";

    public void Configure(EtcdCoordinationOptions options)
    {
        IConfiguration? section = services.GetService<FailoverConfigurationBinding.Source>()?.Section?.GetSection(ChildName)
            ?? services.GetService<IConfiguration>()?.GetSection($"{FailoverOptions.SectionName}:{ChildName}");
        section?.Bind(options);
    }
}
