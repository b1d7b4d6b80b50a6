using dotnet_etcd;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Tests.Support;
using Failover.Sdk.Tests.Coordination;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>
/// The store contract against a real etcd. Tests share one server and keep apart by key
/// prefix (a new one per test) and node ids; time passes by probe leases expiring in etcd.
/// </summary>
public sealed class EtcdCoordinationStoreContractTests(EtcdFixture etcd) : CoordinationStoreContract, IClassFixture<EtcdFixture>, IDisposable
{
    private EtcdCoordinationStore? _store;
    private EtcdClient? _probe;

    /// <summary>etcd's shortest lease with its default 1 s election timeout.</summary>
    protected override TimeSpan ShortLease => TimeSpan.FromSeconds(2);

    /// <summary>etcd looks for expired leases every 500 ms, and a revocation takes a moment more.</summary>
    protected override TimeSpan ExpirySlack => TimeSpan.FromSeconds(1);

    protected override uint NodeBase => 1000;

    protected override Task<ICoordinationStore> CreateStoreAsync()
    {
        // Skips with the reason when etcd is missing (fails under FAILOVER_REQUIRE_ALL=1).
        EtcdFixture.RequireEtcd();
        _probe = etcd.NewClient();
        _store = new EtcdCoordinationStore(new EtcdCoordinationOptions
        {
            Endpoints = etcd.Server.ClientUrl,
            KeyPrefix = EtcdFixture.NewPrefix("contract"),
        });
        return Task.FromResult<ICoordinationStore>(_store);
    }

    protected override Task ElapseAsync(TimeSpan span) => EtcdProbe.ElapseAsync(_probe!, span);

    public override async Task DisposeAsync()
    {
        Dispose();
        await base.DisposeAsync();
    }

    public void Dispose()
    {
        _store?.Dispose();
        _probe?.Dispose();
    }
}
