using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Failover.Sdk.Etcd.Configuration;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace Failover.Sdk.Etcd.Client;

/// <summary>
/// Makes the dotnet-etcd client the store talks through: its channel tuned so that the
/// store's per-request deadline, not the library's retry schedule, decides how long a call
/// to an unreachable etcd takes, plus TLS and authentication from the options.
/// </summary>
internal sealed class EtcdClientFactory : IDisposable
{
    // etcd refuses keep-alive pings more often than every 5 s (--grpc-keepalive-min-time) and
    // on connections without a stream, so pings run only while a watch is open.
    private static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(5);

    // The library's defaults (1 s first retry, 2 min reconnect backoff) would leave an agent
    // without etcd for minutes after an outage; a deadline bounds every call regardless.
    private static readonly TimeSpan InitialRetryBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan InitialReconnectBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(2);
    private const int MaxAttempts = 3;

    private readonly X509Certificate2Collection? _authorities;
    private readonly X509Certificate2? _clientCertificate;

    public EtcdClientFactory(EtcdCoordinationOptions options, EtcdEndpoints endpoints)
    {
        const string S = EtcdCoordinationOptions.SectionName;
        try
        {
            _authorities = options.CaCertificatePath is { } ca
                ? Load($"{S}:CaCertificatePath", ca, () => LoadBundle(ca))
                : null;
            _clientCertificate = options.ClientCertificatePath is { } cert && options.ClientKeyPath is { } key
                ? Load($"{S}:ClientCertificatePath", cert, () => X509Certificate2.CreateFromPemFile(cert, key))
                : null;
        }
        catch
        {
            Dispose();
            throw;
        }

        Client = Create(options, endpoints);
    }

    public EtcdClient Client { get; }

    public void Dispose()
    {
        foreach (X509Certificate2 authority in _authorities ?? [])
        {
            authority.Dispose();
        }

        _clientCertificate?.Dispose();
    }

    private EtcdClient Create(EtcdCoordinationOptions options, EtcdEndpoints endpoints)
    {
        TimeSpan dial = options.DialTimeout;
        void Channel(GrpcChannelOptions channel) => ConfigureChannel(channel, dial);

        // The server name is the host a TLS handshake checks the certificate for.
        EtcdClient client = endpoints.UseTls
            ? new EtcdClient(endpoints.Text, ssl => ConfigureSsl(ssl, options.ConfigureSsl), serverName: endpoints.FirstHost, configureChannelOptions: Channel)
            : new EtcdClient(endpoints.Text, serverName: endpoints.FirstHost, configureChannelOptions: Channel);
        if (options.Username is { } user)
        {
            client.SetCredentials(user, options.Password ?? string.Empty);
        }

        return client;
    }

    private static void ConfigureChannel(GrpcChannelOptions channel, TimeSpan dialTimeout)
    {
        if (channel.HttpHandler is SocketsHttpHandler sockets)
        {
            sockets.ConnectTimeout = dialTimeout;
            sockets.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
            sockets.KeepAlivePingDelay = KeepAlivePingDelay;
            sockets.KeepAlivePingTimeout = KeepAlivePingTimeout;
        }

        channel.InitialReconnectBackoff = InitialReconnectBackoff;
        channel.MaxReconnectBackoff = MaxReconnectBackoff;
        // dotnet-etcd shares one MethodConfig instance between all its channels: replaced, never edited.
        if (channel.ServiceConfig is { } service)
        {
            service.MethodConfigs.Clear();
            service.MethodConfigs.Add(new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = MaxAttempts,
                    InitialBackoff = InitialRetryBackoff,
                    MaxBackoff = MaxRetryBackoff,
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            });
        }
    }

    private void ConfigureSsl(SslClientAuthenticationOptions ssl, Action<SslClientAuthenticationOptions>? custom)
    {
        if (_authorities is not null)
        {
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // A private CA publishes no revocation lists the agent could reach.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(_authorities);
        }

        if (_clientCertificate is not null)
        {
            ssl.ClientCertificates = [_clientCertificate];
        }

        custom?.Invoke(ssl);
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new CryptographicException("the file holds no PEM certificate");
    }

    private static T Load<T>(string option, string path, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"{option} is '{path}', which could not be read as PEM: {ex.Message}", ex);
        }
    }
}
