// TEMPORARY: deleted when the transports branch is merged.
using System.Net;
using Failover.Sdk.Wire;
namespace Failover.Sdk.Transports;
/// <summary>stub</summary>
public sealed class InMemoryNetwork { }
internal sealed class InMemoryTransport(InMemoryNetwork n, TransportSettings s) : IFrameTransport
{
    public ushort PathId => s.PathId; public TransportCounters Counters { get; } = new();
    public Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken) { _ = n; return Task.CompletedTask; }
    public ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
internal sealed class UdpTransport(TransportSettings s, IPEndPoint l) : IFrameTransport
{
    public ushort PathId => s.PathId; public TransportCounters Counters { get; } = new();
    public void SetPeer(uint nodeId, IPEndPoint endPoint) { _ = l; }
    public Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken) => Task.CompletedTask;
    public ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
internal sealed class TcpTransport(TransportSettings s, IPEndPoint l) : IFrameTransport
{
    public ushort PathId => s.PathId; public TransportCounters Counters { get; } = new();
    public void SetPeer(uint nodeId, IPEndPoint endPoint) { _ = l; }
    public Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken) => Task.CompletedTask;
    public ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
