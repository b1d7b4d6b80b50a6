using Failover.Sdk.Configuration;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Tests.Configuration;

public class FailoverOptionsValidatorTests
{
    private static readonly FailoverOptionsValidator Validator = new();

    private static FailoverOptions ValidUdp() => new()
    {
        NodeId = 1,
        Transport = FailoverTransportKind.Udp,
        Paths = [new() { Id = 1, LocalEndPoint = "127.0.0.1:7001" }],
        Peers = [new() { NodeId = 2, PathId = 1, EndPoint = "127.0.0.1:7002" }],
    };

    private static string Failure(FailoverOptions options)
    {
        ValidateOptionsResult result = Validator.Validate(null, options);
        Assert.True(result.Failed, "expected the options to be rejected");
        return result.FailureMessage;
    }

    [Fact]
    public void Valid_udp_options_pass()
    {
        Assert.True(Validator.Validate(null, ValidUdp()).Succeeded);
    }

    [Fact]
    public void Defaults_with_a_node_id_pass_in_memory()
    {
        Assert.True(Validator.Validate(null, new FailoverOptions { NodeId = 7 }).Succeeded);
    }

    [Theory]
    [InlineData(0, "Failover:HeartbeatInterval is 00:00:00;")]
    [InlineData(7_200_000, "Failover:HeartbeatInterval is 02:00:00;")]
    public void Interval_out_of_range_names_the_option_and_value(int milliseconds, string expected)
    {
        FailoverOptions options = ValidUdp();
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Contains(expected, Failure(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1001)]
    public void Missed_heartbeats_out_of_range_is_rejected(int missed)
    {
        FailoverOptions options = ValidUdp();
        options.MissedHeartbeats = missed;
        Assert.Contains($"Failover:MissedHeartbeats is {missed};", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Node_id_zero_is_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.NodeId = 0;
        Assert.Contains("Failover:NodeId is 0", Failure(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:7001")]
    [InlineData("127.0.0.1")]
    [InlineData("300.1.1.1:80")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("eth0; rm -rf /")]
    public void Bad_peer_endpoints_are_rejected_with_their_value(string endPoint)
    {
        FailoverOptions options = ValidUdp();
        options.Peers[0].EndPoint = endPoint;
        Assert.Contains($"Failover:Peers:0:EndPoint is '{endPoint}'", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Udp_without_paths_is_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.Paths.Clear();
        Assert.Contains("Failover:Paths is empty", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_port_zero_is_allowed_but_peer_port_zero_is_not()
    {
        FailoverOptions options = ValidUdp();
        options.Paths[0].LocalEndPoint = "127.0.0.1:0";
        Assert.True(Validator.Validate(null, options).Succeeded);
        options.Peers[0].EndPoint = "127.0.0.1:0";
        Assert.Contains("Failover:Peers:0:EndPoint is '127.0.0.1:0'", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_path_ids_and_unknown_peer_paths_are_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.Paths.Add(new() { Id = 1, LocalEndPoint = "127.0.0.1:7003" });
        options.Peers.Add(new() { NodeId = 3, PathId = 9, EndPoint = "127.0.0.1:7004" });
        string failure = Failure(options);
        Assert.Contains("Failover:Paths:1:Id is 1", failure, StringComparison.Ordinal);
        Assert.Contains("Failover:Peers:1:PathId is 9", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_with_this_nodes_id_is_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.Peers[0].NodeId = 1;
        Assert.Contains("Failover:Peers:0:NodeId is 1", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Short_or_malformed_keys_are_rejected_without_echoing_the_secret()
    {
        FailoverOptions options = ValidUdp();
        options.AuthenticationKey = Convert.ToBase64String(new byte[8]);
        Assert.Contains("decodes to 8 bytes", Failure(options), StringComparison.Ordinal);

        options.AuthenticationKey = "not base64 at all!";
        string failure = Failure(options);
        Assert.Contains("Failover:AuthenticationKey", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64 at all!", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Requiring_authentication_without_a_key_is_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.RequireAuthentication = true;
        Assert.Contains("Failover:RequireAuthentication is true", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Max_frame_length_below_the_largest_frame_is_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.MaxFrameLength = 64;
        Assert.Contains("Failover:MaxFrameLength is 64", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_of_another_address_family_than_its_path_is_rejected()
    {
        FailoverOptions options = ValidUdp();
        options.Paths[0].LocalEndPoint = "[::1]:7001";
        Assert.Contains("Failover:Peers:0:EndPoint is '127.0.0.1:7002', an InterNetwork address, but path 1 is bound to '[::1]:7001'", Failure(options), StringComparison.Ordinal);
    }
}
