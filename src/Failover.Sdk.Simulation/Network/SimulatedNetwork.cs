using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Nodes;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Time;
using Failover.Sdk.Simulation.Topology;
using Failover.Sdk.Transports;

namespace Failover.Sdk.Simulation.Network;

/// <summary>
/// The simulated wire: carries every frame the agents send through NICs, switches, LAN
/// segments and WAN links, each with its latency, jitter, loss, duplication and reordering,
/// and loses it where a fault is in the way. Arrivals are virtual-time events.
/// </summary>
/// <remarks>
/// A route is checked when a frame is sent (the sender's side and the path between) and
/// again at the receiving end when it arrives, so a frame in flight when the target's NIC
/// or switch fails is lost, like one on a real cable. Single-threaded.
/// </remarks>
internal sealed class SimulatedNetwork : IInMemoryFrameCarrier
{
    private readonly VirtualTimeProvider _time;
    private readonly SimulationRandom _random;
    private readonly SimulationRecorder _recorder;
    private readonly LinkProfile[] _lans;
    private readonly LinkProfile[]?[] _lanRoutes;
    private readonly Dictionary<string, int> _lanIndex;
    private readonly List<WanState> _wans;
    private readonly Dictionary<(int From, int To), LinkProfile[]?> _wanRoutes = [];
    private readonly List<Dictionary<uint, int>> _partitions = [];
    private readonly Stack<FrameArrival> _pool = new();
    private Dictionary<uint, SimulatedNode> _nodes = [];

    public SimulatedNetwork(VirtualTimeProvider time, SimulationRandom random, SimulationRecorder recorder, IReadOnlyList<LanDefinition> lans, IReadOnlyList<SwitchDefinition> switches, IReadOnlyList<WanDefinition> wans)
    {
        _time = time;
        _random = random;
        _recorder = recorder;
        _lans = [.. lans.Select(l => l.Link ?? LinkProfile.Lan)];
        _lanRoutes = new LinkProfile[]?[_lans.Length];
        _lanIndex = lans.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        Switches = switches.ToDictionary(s => s.Name, s => new SwitchState(s.Name, _lanIndex[s.Lan]), StringComparer.Ordinal);
        _wans = [.. wans.Select(w => new WanState(w.Name, _lanIndex[w.From], _lanIndex[w.To], w.Link ?? LinkProfile.Wan))];
        Network = new InMemoryNetwork(this);
    }

    /// <summary>The network the agents' in-memory transports register on.</summary>
    public InMemoryNetwork Network { get; }

    public IReadOnlyDictionary<string, SwitchState> Switches { get; }

    /// <summary>Sets the nodes, once they exist (they need the network to exist first).</summary>
    public void Attach(Dictionary<uint, SimulatedNode> nodes) => _nodes = nodes;

    public void SetWan(string name, bool up)
    {
        _wans.First(w => w.Name == name).IsUp = up;
        _wanRoutes.Clear();
    }

    public void AddPartition(Dictionary<uint, int> groupOf) => _partitions.Add(groupOf);

    public void RemovePartition(Dictionary<uint, int> groupOf) => _partitions.Remove(groupOf);

    public void Carry(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame)
    {
        _recorder.FrameSent(sender, target, pathId);
        Route route = Resolve(sender, target, pathId);
        if (!route.IsOpen)
        {
            _recorder.FrameLost(sender, target, pathId, route.Blocked);
            return;
        }

        long delay = 0;
        bool reorder = false;
        bool duplicate = false;
        foreach (LinkProfile hop in route.Hops!)
        {
            if (hop.Loss > 0 && _random.NextDouble() < hop.Loss)
            {
                _recorder.FrameLost(sender, target, pathId, FrameLossReason.Loss);
                return;
            }

            delay += Delay(hop);
            reorder |= hop.Reordering > 0 && _random.NextDouble() < hop.Reordering;
            duplicate |= hop.Duplication > 0 && _random.NextDouble() < hop.Duplication;
        }

        if (reorder)
        {
            // Held back one more crossing of the route, so the frames behind it overtake it.
            foreach (LinkProfile hop in route.Hops!)
            {
                delay += hop.Latency.Ticks + hop.Jitter.Ticks;
            }
        }

        Send(sender, target, pathId, frame, delay, isDuplicate: false);
        if (duplicate)
        {
            long copyDelay = 0;
            foreach (LinkProfile hop in route.Hops!)
            {
                copyDelay += Delay(hop);
            }

            Send(sender, target, pathId, frame, copyDelay, isDuplicate: true);
        }
    }

    /// <summary>A frame reaches the target's side: checked against the target's NIC, switch and state, then delivered.</summary>
    public void Arrive(FrameArrival arrival)
    {
        try
        {
            SimulatedNode node = _nodes[arrival.To];
            NicState? nic = node.Nic(arrival.Path);
            FrameLossReason? lost = !node.IsOsUp ? FrameLossReason.NodeDown
                : nic is null ? FrameLossReason.NoNic
                : !nic.IsUp ? FrameLossReason.NicDown
                : !nic.Switch.IsUp ? FrameLossReason.SwitchDown
                : null;
            if (lost is { } reason)
            {
                _recorder.FrameLost(arrival.From, arrival.To, arrival.Path, reason);
                return;
            }

            // No process, no socket to buffer it in, stalled or not.
            if (!node.IsAgentRunning)
            {
                _recorder.FrameLost(arrival.From, arrival.To, arrival.Path, FrameLossReason.NodeDown);
                return;
            }

            if (node.IsFrozen)
            {
                if (!node.Hold(arrival.From, arrival.Path, arrival.SentAt, arrival.Bytes))
                {
                    _recorder.FrameLost(arrival.From, arrival.To, arrival.Path, FrameLossReason.BufferFull);
                }

                return;
            }

            // Journaled before it is handed over, so the journal shows the frame before what it caused.
            _recorder.FrameDelivered(arrival.From, arrival.To, arrival.Path, arrival.SentAt, arrival.Duplicate);
            Network.Deliver(arrival.From, arrival.To, arrival.Path, arrival.Bytes);
        }
        finally
        {
            _pool.Push(arrival);
        }
    }

    /// <summary>Where a frame from <paramref name="sender"/> to <paramref name="target"/> on <paramref name="pathId"/> can go now.</summary>
    internal Route Resolve(uint sender, uint target, ushort pathId)
    {
        if (!_nodes.TryGetValue(sender, out SimulatedNode? from) || !_nodes.TryGetValue(target, out SimulatedNode? to))
        {
            return Route.Lost(FrameLossReason.NodeDown);
        }

        NicState? sending = from.Nic(pathId);
        NicState? receiving = to.Nic(pathId);
        if (sending is null || receiving is null)
        {
            return Route.Lost(FrameLossReason.NoNic);
        }

        if (!sending.IsUp || !receiving.IsUp)
        {
            return Route.Lost(FrameLossReason.NicDown);
        }

        if (!sending.Switch.IsUp || !receiving.Switch.IsUp)
        {
            return Route.Lost(FrameLossReason.SwitchDown);
        }

        foreach (Dictionary<uint, int> partition in _partitions)
        {
            if (partition.TryGetValue(sender, out int a) && partition.TryGetValue(target, out int b) && a != b)
            {
                return Route.Lost(FrameLossReason.Partitioned);
            }
        }

        LinkProfile[]? hops = Hops(sending.Switch.Lan, receiving.Switch.Lan);
        return hops is null ? Route.Lost(FrameLossReason.NoRoute) : Route.Through(hops);
    }

    /// <summary>
    /// The first open route between two nodes on any path both have a NIC on, in the sender's
    /// NIC order: for traffic other than the agents' (the coordination store's requests), which
    /// takes whichever NIC works, as a TCP connection over the host's routing table would.
    /// </summary>
    internal Route ResolveAny(uint sender, uint target)
    {
        if (!_nodes.TryGetValue(sender, out SimulatedNode? from))
        {
            return Route.Lost(FrameLossReason.NodeDown);
        }

        Route blocked = Route.Lost(FrameLossReason.NoNic);
        foreach (NicDefinition nic in from.Definition.Nics)
        {
            Route route = Resolve(sender, target, nic.PathId);
            if (route.IsOpen)
            {
                return route;
            }

            if (blocked.Blocked == FrameLossReason.NoNic)
            {
                blocked = route;
            }
        }

        return blocked;
    }

    private void Send(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame, long delay, bool isDuplicate)
    {
        if (!_pool.TryPop(out FrameArrival? arrival))
        {
            arrival = new FrameArrival(this);
        }

        arrival.From = sender;
        arrival.To = target;
        arrival.Path = pathId;
        arrival.SentAt = _time.GetTimestamp();
        arrival.Duplicate = isDuplicate;
        arrival.SetBytes(frame);
        _time.Schedule(arrival, delay);
    }

    private long Delay(LinkProfile hop)
    {
        long ticks = hop.Latency.Ticks;
        if (hop.Jitter > TimeSpan.Zero)
        {
            ticks += (long)(((_random.NextDouble() * 2) - 1) * hop.Jitter.Ticks);
        }

        return Math.Max(0, ticks);
    }

    /// <summary>The LAN and WAN stretches between two LANs: the fewest up WAN links, first found in definition order.</summary>
    private LinkProfile[]? Hops(int fromLan, int toLan)
    {
        if (fromLan == toLan)
        {
            return _lanRoutes[fromLan] ??= [_lans[fromLan]];
        }

        if (_wanRoutes.TryGetValue((fromLan, toLan), out LinkProfile[]? cached))
        {
            return cached;
        }

        LinkProfile[]? found = ShortestWanRoute(fromLan, toLan);
        _wanRoutes[(fromLan, toLan)] = found;
        return found;
    }

    private LinkProfile[]? ShortestWanRoute(int fromLan, int toLan)
    {
        // Breadth-first over LANs; few LANs, and the result is cached until a WAN link changes.
        var via = new WanState?[_lans.Length];
        var seen = new bool[_lans.Length];
        var queue = new Queue<int>();
        queue.Enqueue(fromLan);
        seen[fromLan] = true;
        while (queue.TryDequeue(out int lan))
        {
            if (lan == toLan)
            {
                break;
            }

            foreach (WanState wan in _wans)
            {
                int next = !wan.IsUp ? -1 : wan.From == lan ? wan.To : wan.To == lan ? wan.From : -1;
                if (next >= 0 && !seen[next])
                {
                    seen[next] = true;
                    via[next] = wan;
                    queue.Enqueue(next);
                }
            }
        }

        if (!seen[toLan])
        {
            return null;
        }

        var hops = new List<LinkProfile> { _lans[toLan] };
        for (int lan = toLan; lan != fromLan;)
        {
            WanState wan = via[lan]!;
            hops.Add(wan.Link);
            lan = wan.From == lan ? wan.To : wan.From;
        }

        hops.Add(_lans[fromLan]);
        hops.Reverse();
        return [.. hops];
    }
}
