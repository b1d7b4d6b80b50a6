using Microsoft.Extensions.DependencyInjection;

namespace Failover.Sdk.DependencyInjection;

internal sealed class FailoverBuilder(IServiceCollection services) : IFailoverBuilder
{
    public IServiceCollection Services { get; } = services;
}
