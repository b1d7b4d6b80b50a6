using Microsoft.Extensions.DependencyInjection;

namespace Failover.Sdk.DependencyInjection;

/// <summary>Configures the Failover.Sdk services <c>AddFailover()</c> registered.</summary>
public interface IFailoverBuilder
{
    /// <summary>The service collection the SDK is registered in.</summary>
    IServiceCollection Services { get; }
}
