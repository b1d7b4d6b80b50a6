using System.Collections.Concurrent;

namespace Failover.Sdk.Transports;

/// <summary>
/// A network inside one process: routes frames between in-memory transports by target
/// node id and path id, for tests, samples and the simulator.
/// </summary>
/// <remarks>
/// Frames cross it encoded, and the receiver decodes them with its own frame reader, so
/// the real codec, authentication and replay protection are exercised. Without a carrier
/// a frame is delivered synchronously on the sending thread: simple and deterministic, but
/// the receiving handler runs on whichever thread sent. With an
/// <see cref="IInMemoryFrameCarrier"/> the carrier decides. Thread-safe.
/// </remarks>
public sealed class InMemoryNetwork
{
    private readonly ConcurrentDictionary<(uint NodeId, ushort PathId), InMemoryTransport> _transports = new();
    private readonly ConcurrentDictionary<uint, bool> _isolated = new();
    private readonly IInMemoryFrameCarrier? _carrier;

    /// <summary>Creates an empty network with no node isolated, delivering every frame at once.</summary>
    public InMemoryNetwork()
    {
    }

    /// <summary>Creates an empty network whose frames <paramref name="carrier"/> carries.</summary>
    public InMemoryNetwork(IInMemoryFrameCarrier carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        _carrier = carrier;
    }

    /// <summary>
    /// Cuts <paramref name="nodeId"/> off on every path: frames it sends and frames sent
    /// to it are silently dropped, as a real network would drop them.
    /// </summary>
    /// <remarks>
    /// Sends from or to an isolated node still report success and count as sent, because
    /// a real network gives the sender no error either: only the silence can be noticed.
    /// </remarks>
    public void Isolate(uint nodeId) => _isolated[nodeId] = true;

    /// <summary>Ends the isolation of <paramref name="nodeId"/>; frames flow again. Nothing dropped meanwhile is delivered.</summary>
    public void Reconnect(uint nodeId) => _isolated.TryRemove(nodeId, out _);

    /// <summary>Whether <paramref name="nodeId"/> is isolated by <see cref="Isolate"/>.</summary>
    public bool IsIsolated(uint nodeId) => _isolated.ContainsKey(nodeId);

    /// <exception cref="InvalidOperationException">The node already has a transport on that path.</exception>
    internal void Register(uint nodeId, ushort pathId, InMemoryTransport transport)
    {
        if (!_transports.TryAdd((nodeId, pathId), transport))
        {
            throw new InvalidOperationException($"Node {nodeId} already has an in-memory transport on path {pathId}.");
        }
    }

    internal void Unregister(uint nodeId, ushort pathId, InMemoryTransport transport) =>
        _transports.TryRemove(new KeyValuePair<(uint, ushort), InMemoryTransport>((nodeId, pathId), transport));

    /// <summary>
    /// Hands <paramref name="frame"/>, sent by <paramref name="sender"/>, to the transport
    /// <paramref name="target"/> has started on <paramref name="pathId"/>; the carrier calls it.
    /// </summary>
    /// <returns>Whether a started transport took the frame (it may still reject it, as a real receiver would).</returns>
    public bool Deliver(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame) =>
        _transports.TryGetValue((target, pathId), out InMemoryTransport? receiver) && receiver.Receive(frame, sender);

    /// <summary>Where a frame from <paramref name="sender"/> to <paramref name="target"/> on <paramref name="pathId"/> goes.</summary>
    internal InMemoryRoute Route(uint sender, uint target, ushort pathId, out InMemoryTransport? receiver)
    {
        receiver = null;

        // Isolation wins over a missing route: an isolated sender cannot learn whether the target exists.
        if (IsIsolated(sender) || IsIsolated(target))
        {
            return InMemoryRoute.Dropped;
        }

        // A carrier takes every frame: like a datagram socket, the sender cannot know whether anyone listens.
        if (_carrier is not null)
        {
            return InMemoryRoute.Carry;
        }

        return _transports.TryGetValue((target, pathId), out receiver) ? InMemoryRoute.Deliver : InMemoryRoute.NoRoute;
    }

    internal void Carry(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame) =>
        _carrier!.Carry(sender, target, pathId, frame);
}
