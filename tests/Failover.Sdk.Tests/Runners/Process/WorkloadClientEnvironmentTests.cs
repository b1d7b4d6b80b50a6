using System.Net;
using System.Security.Cryptography;
using Failover.Sdk.Configuration;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Runners;

/// <summary>How a workload process reads what its agent told it, and what it says when that is wrong.</summary>
public sealed class WorkloadClientEnvironmentTests
{
    private static readonly WorkloadDescriptor Workload = new(
        new FailoverWorkloadOptions { Id = "env-1", Probe = { Kind = WorkloadProbeKind.Heartbeat, Interval = TimeSpan.FromMilliseconds(250) } },
        RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string> Valid() =>
        WorkloadEnvironment.For(Workload, new IPEndPoint(IPAddress.Loopback, 40123), RandomNumberGenerator.GetBytes(32), nodeId: 9, fencingToken: 1234);

    [Fact]
    public void Outside_an_agent_there_is_no_client()
    {
        Assert.Null(Environment.GetEnvironmentVariable(WorkloadEnvironment.WorkloadId));
        Assert.Null(WorkloadClient.FromEnvironment());
        Assert.Null(WorkloadClient.FromVariables(_ => null));
        Assert.Null(WorkloadClient.FromVariables(_ => ""));
    }

    [Fact]
    public async Task What_the_runner_writes_the_client_reads()
    {
        Dictionary<string, string> variables = Valid();
        Assert.Equal("250", variables[WorkloadEnvironment.HeartbeatMilliseconds]);

        await using WorkloadClient client = WorkloadClient.FromVariables(name => variables.GetValueOrDefault(name))!;

        Assert.Equal("env-1", client.WorkloadId);
        Assert.Equal(9u, client.NodeId);
        Assert.Equal(1234, client.FencingToken);
    }

    [Theory]
    [InlineData("localhost:40123")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("10.0.0.1:40123")]
    [InlineData("127.0.0.1:99999")]
    public void A_malformed_endpoint_is_named(string endpoint)
    {
        Dictionary<string, string> variables = Valid();
        variables[WorkloadEnvironment.Endpoint] = endpoint;

        var ex = Assert.Throws<InvalidOperationException>(() => WorkloadClient.FromVariables(name => variables.GetValueOrDefault(name)));
        Assert.Contains(WorkloadEnvironment.Endpoint, ex.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorkloadEnvironment.WireId, "0")]
    [InlineData(WorkloadEnvironment.WireId, "-1")]
    [InlineData(WorkloadEnvironment.NodeId, "node-1")]
    [InlineData(WorkloadEnvironment.FencingToken, "1.5")]
    [InlineData(WorkloadEnvironment.HeartbeatMilliseconds, "0")]
    [InlineData(WorkloadEnvironment.HeartbeatMilliseconds, "fast")]
    public void A_malformed_number_is_named(string name, string value)
    {
        Dictionary<string, string> variables = Valid();
        variables[name] = value;

        var ex = Assert.Throws<InvalidOperationException>(() => WorkloadClient.FromVariables(n => variables.GetValueOrDefault(n)));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_key_is_named_without_being_quoted()
    {
        Dictionary<string, string> variables = Valid();
        variables[WorkloadEnvironment.ChannelKey] = "secret!not-base64";

        var ex = Assert.Throws<InvalidOperationException>(() => WorkloadClient.FromVariables(n => variables.GetValueOrDefault(n)));
        Assert.Contains(WorkloadEnvironment.ChannelKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret!not-base64", ex.Message, StringComparison.Ordinal);

        variables[WorkloadEnvironment.ChannelKey] = Convert.ToBase64String(new byte[8]);
        ex = Assert.Throws<InvalidOperationException>(() => WorkloadClient.FromVariables(n => variables.GetValueOrDefault(n)));
        Assert.Contains("at least 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_variable_among_the_others_is_named()
    {
        Dictionary<string, string> variables = Valid();
        variables.Remove(WorkloadEnvironment.NodeId);

        var ex = Assert.Throws<InvalidOperationException>(() => WorkloadClient.FromVariables(n => variables.GetValueOrDefault(n)));
        Assert.Contains(WorkloadEnvironment.NodeId, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not set", ex.Message, StringComparison.Ordinal);
    }
}
