using System.Runtime.CompilerServices;
using dotnet_etcd;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// One real etcd shared by the tests of a class (<c>IClassFixture&lt;EtcdFixture&gt;</c>).
/// Tests isolate themselves by key prefix (<see cref="NewPrefix"/>), and start a server of
/// their own (<see cref="StartOwnServerAsync"/>) when they stop, restart or pause it.
/// Without an etcd binary every test skips with the reason, unless FAILOVER_REQUIRE_ALL=1
/// makes that a failure.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    /// <summary>Why the etcd tests cannot run here, or null when they can.</summary>
    internal static string? Unavailable { get; } = EtcdServer.FindBinary() is null
        ? "no etcd binary on PATH (Debian: apt-get install etcd-server; tests/run-all.sh installs it when run as root)"
        : null;

    /// <summary>The shared server; skips (or fails under FAILOVER_REQUIRE_ALL=1) when etcd is missing.</summary>
    internal EtcdServer Server
    {
        get
        {
            RequireEtcd();
            return _server ?? throw new InvalidOperationException("The etcd fixture was not initialized.");
        }
    }

    /// <summary>Skips the calling [SkippableFact] when etcd cannot run, or fails it in CI.</summary>
    internal static void RequireEtcd()
    {
        if (Unavailable is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("FAILOVER_REQUIRE_ALL") == "1")
        {
            throw new InvalidOperationException($"FAILOVER_REQUIRE_ALL=1, but the etcd tests cannot run: {Unavailable}");
        }

        Skip.If(true, $"etcd tests skipped: {Unavailable}");
    }

    /// <summary>A server only the calling test uses, for tests that stop, restart or pause it.</summary>
    internal static async Task<EtcdServer> StartOwnServerAsync(TestCertificates? tls = null)
    {
        RequireEtcd();
        return await EtcdServer.StartAsync(tls);
    }

    /// <summary>A key prefix no other test uses: <c>/failover-tests/{test}/{guid}/</c>.</summary>
    internal static string NewPrefix([CallerMemberName] string test = "") =>
        $"/failover-tests/{test}/{Guid.NewGuid():N}/";

    /// <summary>A client of the shared server; the test disposes it.</summary>
    internal EtcdClient NewClient() => new(Server.ClientUrl);

    public async Task InitializeAsync()
    {
        if (Unavailable is null)
        {
            _server = await EtcdServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
