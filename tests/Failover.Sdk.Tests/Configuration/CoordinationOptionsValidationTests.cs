using Failover.Sdk.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Tests.Configuration;

public class CoordinationOptionsValidationTests
{
    private static readonly FailoverOptionsValidator Validator = new();

    private static string Failure(Action<FailoverCoordinationOptions> change)
    {
        var options = new FailoverOptions { NodeId = 1 };
        change(options.Coordination);
        ValidateOptionsResult result = Validator.Validate(null, options);
        Assert.True(result.Failed, "expected the options to be rejected");
        return result.FailureMessage;
    }

    [Fact]
    public void The_defaults_pass_and_renew_twice_before_the_margin()
    {
        var options = new FailoverOptions { NodeId = 1 };
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(8) / 3, options.Coordination.EffectiveRenewInterval);
    }

    [Theory]
    [InlineData(0, "Failover:Coordination:LeaseTimeToLive is 00:00:00;")]
    [InlineData(50, "Failover:Coordination:LeaseTimeToLive is 00:00:00.0500000;")]
    public void A_lease_too_short_is_rejected(int milliseconds, string expected)
        => Assert.Contains(expected, Failure(o => o.LeaseTimeToLive = TimeSpan.FromMilliseconds(milliseconds)), StringComparison.Ordinal);

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    [InlineData(9000)]
    public void A_margin_not_below_half_the_lease_is_rejected(int milliseconds)
    {
        string message = Failure(o => o.LeaseSafetyMargin = TimeSpan.FromMilliseconds(milliseconds));
        Assert.Contains("Failover:Coordination:LeaseSafetyMargin is", message, StringComparison.Ordinal);
        Assert.Contains("below half of LeaseTimeToLive (00:00:05)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_renewal_too_rare_to_be_retried_in_time_is_rejected()
    {
        string message = Failure(o => o.LeaseRenewInterval = TimeSpan.FromSeconds(5));
        Assert.Contains("Failover:Coordination:LeaseRenewInterval is 00:00:05; it must be between 00:00:00.0010000 and half of LeaseTimeToLive - LeaseSafetyMargin (00:00:04)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_request_timeout_is_rejected()
        => Assert.Contains("Failover:Coordination:RequestTimeout is 00:00:00;", Failure(o => o.RequestTimeout = TimeSpan.Zero), StringComparison.Ordinal);

    [Fact]
    public void The_section_binds_from_configuration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Failover:NodeId"] = "3",
            ["Failover:Coordination:LeaseTimeToLive"] = "00:00:06",
            ["Failover:Coordination:LeaseSafetyMargin"] = "00:00:01",
            ["Failover:Coordination:LeaseRenewInterval"] = "00:00:01.500",
            ["Failover:Coordination:RequestTimeout"] = "00:00:00.750",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddFailover();
        using ServiceProvider provider = services.BuildServiceProvider();

        FailoverCoordinationOptions options = provider.GetRequiredService<IOptions<FailoverOptions>>().Value.Coordination;
        Assert.Equal(
            (TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(750)),
            (options.LeaseTimeToLive, options.LeaseSafetyMargin, options.EffectiveRenewInterval, options.RequestTimeout));
    }
}
