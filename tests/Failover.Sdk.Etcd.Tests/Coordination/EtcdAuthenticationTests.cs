using dotnet_etcd;
using Etcdserverpb;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>The store against an etcd with authentication on: the right user works, a wrong or missing one is a clear refusal, not "unreachable".</summary>
public sealed class EtcdAuthenticationTests
{
    private const string User = "root";
    private const string Password = "failover-test-password";

    [SkippableFact]
    public async Task With_authentication_on_the_right_user_works_and_a_wrong_password_or_none_is_refused_as_such()
    {
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        await EnableAuthenticationAsync(server.ClientUrl);
        string prefix = EtcdFixture.NewPrefix();

        await using (EtcdCoordinationStore store = Store(server.ClientUrl, prefix, User, Password))
        {
            CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(5));
            Assert.True((await store.TryAcquireAsync("report", 1, lease.Id)).Succeeded);
            Assert.Equal(1u, (await store.GetOwnerAsync("report")).Owner!.NodeId);
            await store.RevokeLeaseAsync(lease.Id);
        }

        var log = new FakeLogger<EtcdCoordinationStore>();
        await using (EtcdCoordinationStore wrong = Store(server.ClientUrl, prefix, User, "not-the-password", log))
        {
            CoordinationException refused = await Assert.ThrowsAsync<CoordinationException>(async () => await wrong.GetOwnerAsync("report"));
            Assert.Contains("authentication failed", refused.Message, StringComparison.Ordinal);
            Assert.Contains(server.ClientUrl, refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", refused.Message, StringComparison.Ordinal);
        }

        FakeLogRecord logged = Assert.Single(log.Collector.GetSnapshot(), r => r.Id.Id == 3102);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("authentication failed", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Collector.GetSnapshot(), r => r.Message.Contains("not-the-password", StringComparison.Ordinal));

        await using (EtcdCoordinationStore anonymous = Store(server.ClientUrl, prefix, null, null))
        {
            CoordinationException refused = await Assert.ThrowsAsync<CoordinationException>(async () => await anonymous.GetOwnerAsync("report"));
            Assert.Contains("user name is empty", refused.Message, StringComparison.Ordinal);
        }
    }

    private static EtcdCoordinationStore Store(string url, string prefix, string? user, string? password, ILogger<EtcdCoordinationStore>? log = null) => new(
        new EtcdCoordinationOptions
        {
            Endpoints = url,
            KeyPrefix = prefix,
            Username = user,
            Password = password,
            RequestTimeout = TimeSpan.FromSeconds(5),
        },
        logger: log);

    private static async Task EnableAuthenticationAsync(string url)
    {
        using var client = new EtcdClient(url);
        await client.UserAddAsync(new AuthUserAddRequest { Name = User, Password = Password });
        await client.RoleAddAsync(new AuthRoleAddRequest { Name = "root" });
        await client.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = User, Role = "root" });
        await client.AuthEnableAsync(new AuthEnableRequest());
    }
}
