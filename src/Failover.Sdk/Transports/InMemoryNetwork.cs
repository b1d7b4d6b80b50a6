using System.Collections.Concurrent;

namespace Failover.Sdk.Transports;

/// <summary>
/// A network inside one process: routes frames between in-memory transports by target
/// node id and path id, for tests, samples and the simulator.
/// </summary>
/// <remarks>
/// Frames cross it encoded, and the receiver decodes them with its own frame reader, so
/// the real codec, authentication and replay protection are exercised. A frame is
/// delivered synchronously on the sending thread: simple and deterministic, but the
/// receiving handler runs on whichever thread sent. Thread-safe.
/// </remarks>
public sealed class InMemoryNetwork
{
    private readonly ConcurrentDictionary<(uint NodeId, ushort PathId), InMemoryTransport> _transports = new();
    private readonly ConcurrentDictionary<uint, bool> _isolated = new();

    /// <summary>Creates an empty network with no node isolated.</summary>
    public InMemoryNetwork()
    {
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

    /// <summary>Where a frame from <paramref name="sender"/> to <paramref name="target"/> on <paramref name="pathId"/> goes.</summary>
    internal InMemoryRoute Route(uint sender, uint target, ushort pathId, out InMemoryTransport? receiver)
    {
        receiver = null;

        // Isolation wins over a missing route: an isolated sender cannot learn whether the target exists.
        if (IsIsolated(sender) || IsIsolated(target))
        {
            return InMemoryRoute.Dropped;
        }

        return _transports.TryGetValue((target, pathId), out receiver) ? InMemoryRoute.Deliver : InMemoryRoute.NoRoute;
    }
}
