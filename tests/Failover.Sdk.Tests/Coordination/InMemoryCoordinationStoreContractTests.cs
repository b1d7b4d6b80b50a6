using Failover.Sdk.Coordination;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>The store contract, on the in-memory store in virtual time.</summary>
public sealed class InMemoryCoordinationStoreContractTests : CoordinationStoreContract, IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private InMemoryCoordinationStore? _store;

    protected override TimeSpan ShortLease => TimeSpan.FromSeconds(1);

    protected override TimeSpan ExpirySlack => TimeSpan.Zero;

    protected override Task<ICoordinationStore> CreateStoreAsync()
    {
        _store = new InMemoryCoordinationStore(_time);
        return Task.FromResult<ICoordinationStore>(_store);
    }

    protected override Task ElapseAsync(TimeSpan span)
    {
        _time.Advance(span);
        return Task.CompletedTask;
    }

    public void Dispose() => _store?.Dispose();
}
