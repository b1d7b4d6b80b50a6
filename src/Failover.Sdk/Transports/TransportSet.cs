namespace Failover.Sdk.Transports;

/// <summary>An agent's transports, one per path, with the peers each one heartbeats.</summary>
internal sealed class TransportSet : IAsyncDisposable
{
    private int _disposed;

    public TransportSet(IReadOnlyList<(IFrameTransport Transport, uint[] Peers)> routes)
    {
        Routes = routes;
        All = [.. routes.Select(r => r.Transport)];
    }

    public IReadOnlyList<IFrameTransport> All { get; }

    public IReadOnlyList<(IFrameTransport Transport, uint[] Peers)> Routes { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (IFrameTransport transport in All)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}
