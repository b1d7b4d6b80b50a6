using Failover.Sdk.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.DependencyInjection;

/// <summary>
/// Binds <see cref="FailoverOptions"/> from configuration exactly once, whatever the
/// number of <c>AddFailover</c> calls: binding twice would append every list twice.
/// The section is the one passed to <c>AddFailover(section)</c>, else <c>Failover</c> of
/// the host's configuration, else nothing (a bare service collection).
/// </summary>
internal sealed class FailoverConfigurationBinding(IServiceProvider services, FailoverConfigurationBinding.Source source)
    : IConfigureOptions<FailoverOptions>
{
    public void Configure(FailoverOptions options)
    {
        IConfiguration? section = source.Section
            ?? (services.GetService(typeof(IConfiguration)) as IConfiguration)?.GetSection(FailoverOptions.SectionName);
        if (section is not null)
        {
            // Intercepted by the configuration binding source generator: no reflection.
            section.Bind(options);
        }
    }

    /// <summary>Which section to bind; the last <c>AddFailover(section)</c> call wins.</summary>
    internal sealed class Source
    {
        public IConfiguration? Section { get; set; }
    }
}
