using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Etcd.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Etcd.Tests.Configuration;

/// <summary>
/// The etcd options: every bad value is refused with a message that names the option and
/// quotes the value; UseEtcd binds them from configuration, lets code override them, and
/// fails the host's start when they are wrong. Nothing here talks to etcd.
/// </summary>
public sealed class EtcdCoordinationOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("failover-etcd-options-").FullName;

    [Theory]
    [InlineData(null, "Failover:Etcd:Endpoints is not set")]
    [InlineData("  ", "Failover:Etcd:Endpoints is not set")]
    [InlineData("localhost:2379", "Failover:Etcd:Endpoints has the entry 'localhost:2379'; every entry must be an http:// or https:// URL")]
    [InlineData("ftp://10.0.0.5:2379", "Failover:Etcd:Endpoints has the entry 'ftp://10.0.0.5:2379'")]
    [InlineData("http://10.0.0.5:2379,,http://10.0.0.6:2379", "which has an empty entry")]
    [InlineData("http://10.0.0.5:2379,https://10.0.0.6:2379", "which mixes http:// and https://")]
    [InlineData("http://10.0.0.5:2379/v3", "has the entry 'http://10.0.0.5:2379/v3'; an etcd endpoint is a scheme, a host and a port only")]
    public void Bad_endpoints_are_refused_with_the_option_and_the_value(string? endpoints, string expected)
    {
        var options = new EtcdCoordinationOptions { Endpoints = endpoints };

        Assert.Contains(EtcdCoordinationOptionsValidator.Failures(options), f => f.Contains(expected, StringComparison.Ordinal));
        ArgumentException thrown = Assert.Throws<ArgumentException>(() => new EtcdCoordinationStore(options));
        Assert.Contains(expected, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Failover:Etcd:KeyPrefix is not set")]
    [InlineData("failover", "Failover:Etcd:KeyPrefix is 'failover'; it must end with '/'")]
    [InlineData("fail over/", "Failover:Etcd:KeyPrefix is 'fail over/', which contains a space")]
    public void A_bad_key_prefix_is_refused(string prefix, string expected) =>
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", KeyPrefix = prefix }, expected);

    [Fact]
    public void Credentials_go_in_pairs_and_the_password_is_never_repeated()
    {
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", Username = "agent" }, "Failover:Etcd:Username is 'agent' but Failover:Etcd:Password is not set");
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", Password = "s3cret-value" }, "Failover:Etcd:Password is set but Failover:Etcd:Username is not");
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", Username = "agent", Password = " " }, "Failover:Etcd:Password is blank");
        List<string> failures = EtcdCoordinationOptionsValidator.Failures(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", Password = "s3cret-value" });
        Assert.DoesNotContain(failures, f => f.Contains("s3cret-value", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_settings_need_https_endpoints_existing_files_and_a_key_with_the_certificate()
    {
        string ca = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(ca, "placeholder");
        string missing = Path.Combine(_folder, "missing.pem");

        AssertRefused(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", CaCertificatePath = ca }, "Failover:Etcd:CaCertificatePath is set, but Failover:Etcd:Endpoints are http:// URLs");
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "https://127.0.0.1:2379", CaCertificatePath = missing }, $"Failover:Etcd:CaCertificatePath is '{missing}', which is not a readable file");
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "https://127.0.0.1:2379", ClientCertificatePath = ca }, "Failover:Etcd:ClientCertificatePath and Failover:Etcd:ClientKeyPath go together");
        AssertRefused(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379", ConfigureSsl = _ => { } }, "Failover:Etcd:ConfigureSsl is set, but Failover:Etcd:Endpoints are http:// URLs");

        // Present but not PEM: refused when the store is made, naming the option and the file.
        InvalidOperationException unreadable = Assert.Throws<InvalidOperationException>(() =>
            new EtcdCoordinationStore(new EtcdCoordinationOptions { Endpoints = "https://127.0.0.1:2379", CaCertificatePath = ca }));
        Assert.Contains($"Failover:Etcd:CaCertificatePath is '{ca}', which could not be read as PEM", unreadable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DialTimeout", 0)]
    [InlineData("RequestTimeout", 0)]
    [InlineData("RequestTimeout", 7200)]
    public void Timeouts_out_of_range_are_refused(string option, int seconds)
    {
        var options = new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379" };
        TimeSpan value = TimeSpan.FromSeconds(seconds);
        if (option == "DialTimeout")
        {
            options.DialTimeout = value;
        }
        else
        {
            options.RequestTimeout = value;
        }

        AssertRefused(options, $"Failover:Etcd:{option} is {value:c}; it must be between 00:00:00.0010000 and 01:00:00.");
    }

    [Theory]
    [InlineData("http://10.0.0.5", "http://10.0.0.5:2379")]
    [InlineData("https://etcd-1.example:2379, https://etcd-2.example", "https://etcd-1.example:2379,https://etcd-2.example:2379")]
    [InlineData("http://10.0.0.5:80", "http://10.0.0.5:80")]
    [InlineData("http://[::1]:23790", "http://[::1]:23790")]
    public void Valid_endpoints_are_read_with_etcds_default_port_where_none_is_written(string endpoints, string expected)
    {
        Assert.Empty(EtcdCoordinationOptionsValidator.Failures(new EtcdCoordinationOptions { Endpoints = endpoints }));
        using var store = new EtcdCoordinationStore(new EtcdCoordinationOptions { Endpoints = endpoints });
        Assert.Equal(expected, store.Endpoints);
        Assert.Equal(EtcdCoordinationOptions.DefaultKeyPrefix, store.KeyPrefix);
    }

    [Fact]
    public void A_store_leaves_other_etcd_clients_retry_policy_as_it_was()
    {
        // dotnet-etcd shares one retry policy object between its channels; the store must not edit it.
        using var store = new EtcdCoordinationStore(new EtcdCoordinationOptions { Endpoints = "http://127.0.0.1:2379" });
        Grpc.Net.Client.Configuration.RetryPolicy? seen = null;
        using var other = new dotnet_etcd.EtcdClient("http://127.0.0.1:2379", configureChannelOptions: o => seen = o.ServiceConfig!.MethodConfigs[0].RetryPolicy);

        Assert.NotNull(seen);
        Assert.Equal(5, seen.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), seen.InitialBackoff);
    }

    [Fact]
    public void UseEtcd_binds_Failover_Etcd_and_code_overrides_it()
    {
        using IHost host = Host(
            new()
            {
                ["Failover:NodeId"] = "1",
                ["Failover:Etcd:Endpoints"] = "http://10.0.0.5:2379,http://10.0.0.6:2379",
                ["Failover:Etcd:KeyPrefix"] = "from-config/",
                ["Failover:Etcd:RequestTimeout"] = "00:00:03",
            },
            (services, _) => services.AddFailover().UseEtcd(o => o.KeyPrefix = "from-code/"));

        var store = Assert.IsType<EtcdCoordinationStore>(host.Services.GetRequiredService<ICoordinationStore>());
        Assert.Equal("http://10.0.0.5:2379,http://10.0.0.6:2379", store.Endpoints);
        Assert.Equal("from-code/", store.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(3), store.RequestTimeout);
    }

    [Fact]
    public void UseEtcd_after_AddFailover_with_a_section_binds_that_sections_Etcd_child()
    {
        using IHost host = Host(
            new()
            {
                ["Agents:East:NodeId"] = "1",
                ["Agents:East:Etcd:Endpoints"] = "http://10.0.0.7:2379",
            },
            (services, configuration) => services.AddFailover(configuration.GetSection("Agents:East")).UseEtcd());

        Assert.Equal("http://10.0.0.7:2379", Assert.IsType<EtcdCoordinationStore>(host.Services.GetRequiredService<ICoordinationStore>()).Endpoints);
    }

    [Fact]
    public async Task A_host_with_bad_etcd_options_does_not_start_and_says_which()
    {
        using IHost host = Host(
            new() { ["Failover:NodeId"] = "1", ["Failover:Etcd:KeyPrefix"] = "no-slash" },
            (services, _) => services.AddFailover().UseEtcd());

        OptionsValidationException refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Failover:Etcd:Endpoints is not set", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Failover:Etcd:KeyPrefix is 'no-slash'", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void AssertRefused(EtcdCoordinationOptions options, string expected)
    {
        List<string> failures = EtcdCoordinationOptionsValidator.Failures(options);
        Assert.True(failures.Any(f => f.Contains(expected, StringComparison.Ordinal)), $"expected a failure containing \"{expected}\"; got: {string.Join(" | ", failures)}");
        ArgumentException thrown = Assert.Throws<ArgumentException>(() => new EtcdCoordinationStore(options));
        Assert.Contains(expected, thrown.Message, StringComparison.Ordinal);
    }

    private static IHost Host(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        configure(builder.Services, builder.Configuration);
        return builder.Build();
    }
}
