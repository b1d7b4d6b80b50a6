using System.Globalization;

namespace Failover.Sdk.Etcd.Configuration;

/// <summary>
/// <see cref="EtcdCoordinationOptions.Endpoints"/> parsed: absolute <c>http</c> or
/// <c>https</c> URLs, one scheme for all, each with a port (2379 when none is written).
/// </summary>
internal sealed class EtcdEndpoints
{
    public const int DefaultPort = 2379;

    private EtcdEndpoints(IReadOnlyList<Uri> urls)
    {
        Urls = urls;
        UseTls = urls[0].Scheme == Uri.UriSchemeHttps;
        Text = string.Join(",", urls.Select(Format));
    }

    public IReadOnlyList<Uri> Urls { get; }

    public bool UseTls { get; }

    /// <summary>The list as dotnet-etcd takes it, and as messages name it.</summary>
    public string Text { get; }

    /// <summary>
    /// The first endpoint's host, bracketed when an IPv6 address: dotnet-etcd names its channel
    /// <c>static://{host}</c>, and that name is the host a TLS handshake checks the certificate for.
    /// </summary>
    public string FirstHost => Urls[0].Host;

    public static bool TryParse(string? value, out EtcdEndpoints? endpoints, out string? problem)
    {
        endpoints = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "is not set; it must be an etcd URL such as http://127.0.0.1:2379, or a comma-separated list of them";
            return false;
        }

        var urls = new List<Uri>();
        foreach (string part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0)
            {
                problem = $"is '{value}', which has an empty entry; separate URLs with single commas";
                return false;
            }

            if (!Uri.TryCreate(part, UriKind.Absolute, out Uri? url)
                || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.HostNameType == UriHostNameType.Unknown
                || string.IsNullOrEmpty(url.Host))
            {
                problem = $"has the entry '{part}'; every entry must be an http:// or https:// URL with a host, such as http://127.0.0.1:2379";
                return false;
            }

            if (url.AbsolutePath != "/" || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
            {
                problem = $"has the entry '{part}'; an etcd endpoint is a scheme, a host and a port only (no path, query or user)";
                return false;
            }

            urls.Add(HasExplicitPort(part, url) ? url : new UriBuilder(url) { Port = DefaultPort }.Uri);
        }

        if (urls.Select(u => u.Scheme).Distinct().Count() > 1)
        {
            problem = $"is '{value}', which mixes http:// and https://; one connection speaks one of them";
            return false;
        }

        endpoints = new EtcdEndpoints(urls);
        problem = null;
        return true;
    }

    public static EtcdEndpoints Parse(string? value) =>
        TryParse(value, out EtcdEndpoints? endpoints, out string? problem)
            ? endpoints!
            : throw new ArgumentException($"{EtcdCoordinationOptions.SectionName}:Endpoints {problem}.", nameof(value));

    public override string ToString() => Text;

    /// <summary>Uri fills in 80 or 443 when no port is written; etcd's default is 2379.</summary>
    private static bool HasExplicitPort(string text, Uri url)
    {
        string authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        int end = authority.IndexOf('/', StringComparison.Ordinal);
        authority = end < 0 ? authority : authority[..end];
        int colon = authority.LastIndexOf(':');
        int bracket = authority.LastIndexOf(']');
        return colon > bracket && url.Port >= 0;
    }

    // Uri.Authority drops a port that is the scheme's default (80, 443): etcd would read 2379.
    private static string Format(Uri url) => string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{url.Host}:{url.Port}");
}
