using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// A private certificate authority made for one test, with a server certificate for
/// 127.0.0.1 and a client certificate it signed, written as PEM files to a temporary folder
/// (what an operator would hand etcd and the agents). Disposing deletes the folder.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly TimeSpan Life = TimeSpan.FromDays(1);

    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string ServerCertificatePath => Path.Combine(Folder, "server.pem");

    public string ServerKeyPath => Path.Combine(Folder, "server-key.pem");

    public string ClientCertificatePath => Path.Combine(Folder, "client.pem");

    public string ClientKeyPath => Path.Combine(Folder, "client-key.pem");

    public static TestCertificates Create()
    {
        var certificates = new TestCertificates(Directory.CreateTempSubdirectory("failover-etcd-tls-").FullName);
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Failover.Sdk test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now + Life);
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem());

        Issue(ca, "CN=127.0.0.1", server: true, certificates.ServerCertificatePath, certificates.ServerKeyPath, now);
        Issue(ca, "CN=failover-agent", server: false, certificates.ClientCertificatePath, certificates.ClientKeyPath, now);
        return certificates;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static void Issue(X509Certificate2 ca, string subject, bool server, string certificatePath, string keyPath, DateTimeOffset now)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // positive
        using X509Certificate2 issued = request.Create(ca, now.AddMinutes(-5), now + Life, serial);
        File.WriteAllText(certificatePath, issued.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
