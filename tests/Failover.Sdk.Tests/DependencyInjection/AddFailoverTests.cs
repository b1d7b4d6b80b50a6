using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.DependencyInjection;

public class AddFailoverTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Fact]
    public void Binds_the_Failover_section_of_the_host_configuration()
    {
        HostApplicationBuilder builder = Builder(new()
        {
            ["Failover:NodeId"] = "4",
            ["Failover:HeartbeatInterval"] = "00:00:00.250",
            ["Failover:MissedHeartbeats"] = "5",
            ["Failover:Transport"] = "Udp",
            ["Failover:Paths:0:Id"] = "2",
            ["Failover:Paths:0:LocalEndPoint"] = "127.0.0.1:0",
            ["Failover:Peers:0:NodeId"] = "9",
            ["Failover:Peers:0:PathId"] = "2",
            ["Failover:Peers:0:EndPoint"] = "127.0.0.1:7009",
        });
        builder.Services.AddFailover();
        using IHost host = builder.Build();

        FailoverOptions options = host.Services.GetRequiredService<IOptions<FailoverOptions>>().Value;
        Assert.Equal(4u, options.NodeId);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.HeartbeatInterval);
        Assert.Equal(5, options.MissedHeartbeats);
        Assert.Equal(FailoverTransportKind.Udp, options.Transport);
        Assert.Equal("127.0.0.1:0", Assert.Single(options.Paths).LocalEndPoint);
        FailoverPeerOptions peer = Assert.Single(options.Peers);
        Assert.Equal((9u, (ushort)2, "127.0.0.1:7009"), (peer.NodeId, peer.PathId, peer.EndPoint));
    }

    [Fact]
    public void Repeated_calls_register_one_agent_and_bind_lists_once()
    {
        HostApplicationBuilder builder = Builder(new()
        {
            ["Failover:NodeId"] = "1",
            ["Failover:Peers:0:NodeId"] = "2",
        });
        builder.Services.AddFailover();
        builder.Services.AddFailover();
        builder.Services.AddFailover(o => o.MissedHeartbeats = 4);
        using IHost host = builder.Build();

        Assert.Single(host.Services.GetServices<IHostedService>().OfType<FailoverAgent>());
        FailoverOptions options = host.Services.GetRequiredService<IOptions<FailoverOptions>>().Value;
        Assert.Single(options.Peers);
        Assert.Equal(4, options.MissedHeartbeats);
    }

    [Fact]
    public void A_section_overload_binds_that_section_instead()
    {
        HostApplicationBuilder builder = Builder(new()
        {
            ["Failover:NodeId"] = "1",
            ["Cluster:Agent:NodeId"] = "12",
        });
        builder.Services.AddFailover(builder.Configuration.GetSection("Cluster:Agent"));
        using IHost host = builder.Build();

        Assert.Equal(12u, host.Services.GetRequiredService<IOptions<FailoverOptions>>().Value.NodeId);
    }

    [Fact]
    public void The_builder_overload_configures_through_the_builder()
    {
        HostApplicationBuilder builder = Builder([]);
        builder.Services.AddFailover(b => b.Configure(o => o.NodeId = 3));
        using IHost host = builder.Build();

        Assert.Equal(3u, host.Services.GetRequiredService<FailoverAgent>().NodeId);
    }

    [Fact]
    public async Task An_invalid_option_stops_the_host_naming_the_option_and_its_value()
    {
        HostApplicationBuilder builder = Builder(new()
        {
            ["Failover:NodeId"] = "1",
            ["Failover:MissedHeartbeats"] = "0",
            ["Failover:HeartbeatInterval"] = "-00:00:01",
        });
        builder.Services.AddFailover();
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Failover:MissedHeartbeats is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Failover:HeartbeatInterval is -00:00:01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_stops_the_host_naming_the_path()
    {
        using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        string taken = holder.LocalEndPoint!.ToString()!;
        HostApplicationBuilder builder = Builder(new()
        {
            ["Failover:NodeId"] = "1",
            ["Failover:Transport"] = "Udp",
            ["Failover:Paths:0:LocalEndPoint"] = taken,
        });
        builder.Services.AddFailover();
        using IHost host = builder.Build();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains($"Failover:Paths:0:LocalEndPoint '{taken}' could not be bound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hosts_time_provider_is_used()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        HostApplicationBuilder builder = Builder(new() { ["Failover:NodeId"] = "1" });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddFailover();
        using IHost host = builder.Build();

        // The default incarnation is the start time in Unix seconds, read from the host's clock.
        Assert.Equal((uint)time.GetUtcNow().ToUnixTimeSeconds(), host.Services.GetRequiredService<FailoverAgent>().Incarnation);
    }
}
