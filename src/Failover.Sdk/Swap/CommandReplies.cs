using Failover.Sdk.Wire;

namespace Failover.Sdk.Swap;

/// <summary>
/// Makes swap commands idempotent on the receiving side: a command resent while it is being
/// carried out is answered Pending, and one resent after it was carried out gets the same
/// reply again instead of being done twice. Keeps the last <see cref="Capacity"/> replies.
/// </summary>
internal sealed class CommandReplies
{
    public const int Capacity = 256;

    private readonly Lock _gate = new();
    private readonly HashSet<(uint Sender, ulong Request)> _inFlight = [];
    private readonly Dictionary<(uint Sender, ulong Request), Frame> _done = [];
    private readonly Queue<(uint Sender, ulong Request)> _order = new();

    public bool TryGetCached(uint sender, ulong requestId, out Frame reply)
    {
        lock (_gate)
        {
            return _done.TryGetValue((sender, requestId), out reply);
        }
    }

    /// <summary>
    /// Marks the command as being carried out; false when it already is, or was (its reply is
    /// cached): a copy that missed the cache while the first was in flight must not run it again.
    /// </summary>
    public bool TryBegin(uint sender, ulong requestId)
    {
        lock (_gate)
        {
            return !_done.ContainsKey((sender, requestId)) && _inFlight.Add((sender, requestId));
        }
    }

    public void Complete(uint sender, ulong requestId, Frame reply, bool cache)
    {
        lock (_gate)
        {
            _inFlight.Remove((sender, requestId));
            if (!cache || !_done.TryAdd((sender, requestId), reply))
            {
                return;
            }

            _order.Enqueue((sender, requestId));
            while (_order.Count > Capacity)
            {
                _done.Remove(_order.Dequeue());
            }
        }
    }
}
