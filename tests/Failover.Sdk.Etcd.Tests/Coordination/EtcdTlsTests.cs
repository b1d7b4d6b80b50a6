using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Tests.Support;
using Xunit.Abstractions;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>
/// The store against an etcd that speaks only TLS and wants client certificates
/// (<c>--client-cert-auth</c>), with a private certificate authority made for the test.
/// </summary>
public sealed class EtcdTlsTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task With_the_private_CA_and_a_client_certificate_the_store_works_and_without_them_the_error_says_why()
    {
        using TestCertificates certificates = TestCertificates.Create();
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync(certificates);
        string prefix = EtcdFixture.NewPrefix();
        Assert.StartsWith("https://", server.ClientUrl, StringComparison.Ordinal);

        await using (EtcdCoordinationStore store = Store(server.ClientUrl, prefix, certificates.CaPath, certificates.ClientCertificatePath, certificates.ClientKeyPath))
        {
            CoordinationLease lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(5));
            OwnershipRead before = await store.GetOwnerAsync("report");
            OwnershipClaim claim = await store.TryAcquireAsync("report", 1, lease.Id);
            Assert.True(claim.Succeeded);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await foreach (CoordinationEvent change in store.WatchAsync(before.Revision, deadline.Token))
            {
                Assert.Equal(claim.Owner, change.Owner);
                break;
            }

            await store.RevokeLeaseAsync(lease.Id);
        }

        // The machine does not trust the test's authority: the handshake fails on etcd's
        // certificate, a refusal that names the cause rather than "unreachable".
        await using (EtcdCoordinationStore untrusting = Store(server.ClientUrl, prefix, null, certificates.ClientCertificatePath, certificates.ClientKeyPath))
        {
            CoordinationException refused = await Assert.ThrowsAsync<CoordinationException>(async () => await untrusting.GetOwnerAsync("report"));
            output.WriteLine(refused.Message);
            Assert.Contains(server.ClientUrl, refused.Message, StringComparison.Ordinal);
            Assert.Contains("handshake", refused.Message + refused.InnerException?.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        // No client certificate: etcd ends the handshake. How that reads depends on where .NET's
        // HTTP/2 stack notices ("alert bad certificate", or a handshake that did not complete).
        await using (EtcdCoordinationStore anonymous = Store(server.ClientUrl, prefix, certificates.CaPath, null, null))
        {
            CoordinationException refused = await Assert.ThrowsAnyAsync<CoordinationException>(async () => await anonymous.GetOwnerAsync("report"));
            output.WriteLine(refused.Message);
            Assert.Contains(server.ClientUrl, refused.Message, StringComparison.Ordinal);
            Assert.Contains("handshake", refused.Message + refused.InnerException?.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static EtcdCoordinationStore Store(string url, string prefix, string? ca, string? certificate, string? key) => new(new EtcdCoordinationOptions
    {
        Endpoints = url,
        KeyPrefix = prefix,
        CaCertificatePath = ca,
        ClientCertificatePath = certificate,
        ClientKeyPath = key,
        RequestTimeout = TimeSpan.FromSeconds(3),
    });
}
