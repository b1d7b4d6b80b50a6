using System.Net.Security;
using Failover.Sdk.Coordination;

namespace Failover.Sdk.Etcd;

/// <summary>
/// How the agent reaches etcd, bound from the configuration section <see cref="SectionName"/>
/// (<c>Failover:Etcd</c>) by <c>UseEtcd()</c> and validated when the host starts.
/// </summary>
public sealed class EtcdCoordinationOptions
{
    /// <summary>The configuration section <c>UseEtcd()</c> binds: <c>Failover:Etcd</c>.</summary>
    public const string SectionName = "Failover:Etcd";

    /// <summary>The default <see cref="KeyPrefix"/>: <c>failover/</c>.</summary>
    public const string DefaultKeyPrefix = "failover/";

    /// <summary>
    /// The etcd members to talk to: one URL, or a comma-separated list, such as
    /// <c>http://10.0.0.5:2379,http://10.0.0.6:2379</c>. Every entry is <c>http://</c> or
    /// every entry is <c>https://</c>; a missing port means 2379. Required.
    /// </summary>
    /// <remarks>
    /// With several <c>https://</c> endpoints, each member's certificate is checked against the
    /// first endpoint's host (dotnet-etcd reaches all members under one channel name): give the
    /// members' certificates that name too, or check them in <see cref="ConfigureSsl"/>.
    /// </remarks>
    public string? Endpoints { get; set; }

    /// <summary>
    /// Where in etcd's key space this cluster keeps its owners (<c>{prefix}owners/{workload}</c>)
    /// and members (<c>{prefix}members/{node}</c>); ends with '/'. Every agent of one cluster
    /// uses the same prefix; clusters sharing an etcd use different ones. Default <c>failover/</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>The etcd user, when etcd has authentication enabled; set with <see cref="Password"/>.</summary>
    public string? Username { get; set; }

    /// <summary>The etcd user's password; set with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A PEM file with the certificate authority that signed etcd's server certificate, when
    /// it is not one the machine trusts. Needs <c>https://</c> endpoints.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM file with this agent's client certificate, for etcd's <c>--client-cert-auth</c>; set with <see cref="ClientKeyPath"/>. Needs <c>https://</c> endpoints.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>A PEM file with the private key of <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>
    /// Adjusts the TLS handshake beyond the paths above (pinning, revocation, a custom
    /// validation callback); runs after they are applied. Code only: not bound from configuration.
    /// </summary>
    public Action<SslClientAuthenticationOptions>? ConfigureSsl { get; set; }

    /// <summary>How long opening a connection to an etcd member may take. Default 5 s.</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one request may take before it counts as failed (a
    /// <see cref="CoordinationUnavailableException"/>), retries included. Default 5 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
