using Failover.Sdk.Coordination;
using Failover.Sdk.Simulation.Network;
using Failover.Sdk.Simulation.Nodes;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Time;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// The cluster's coordination store: one <see cref="InMemoryCoordinationStore"/> on the
/// simulation's true clock, running on a host node as an etcd member would, and reached by every
/// node's <see cref="SimulatedStoreClient"/> over the simulated network.
/// </summary>
/// <remarks>
/// <para>
/// Leases expire by true virtual time, as etcd judges them by its own server clock. The store is
/// a process of its own beside the host's agent: it keeps running when the agent's process
/// crashes or hangs; a <c>NodePause</c> of the host stalls it too (requests and notifications
/// wait, then go out in order when the machine resumes; its leases still expire meanwhile); a
/// <c>NodeCrash</c> of the host makes it unreachable (requests in flight are lost and every
/// watch breaks) until the node boots, with its state intact, as etcd's is on disk.
/// </para>
/// <para>
/// A message crosses the same NICs, switches, WAN links and partitions as the agents' frames,
/// on the first path that works, with each stretch's latency and jitter; it is not lost at
/// random (a TCP connection resends) nor duplicated. A message with no route at its moment is
/// lost. Single-threaded, on the simulator's thread, like everything in a run.
/// </para>
/// </remarks>
internal sealed class SimulatedStore : IDisposable
{
    private readonly VirtualTimeProvider _time;
    private readonly SimulatedNetwork _network;
    private readonly SimulationRandom _random;
    private readonly Queue<Action> _stalled = new();
    private readonly List<(SimulatedStoreClient Client, SimulatedWatch Watch)> _stalledWatches = [];
    private readonly List<(SimulatedStoreClient Client, SimulatedWatch Watch)> _watches = [];

    public SimulatedStore(SimulatedNode host, VirtualTimeProvider time, SimulatedNetwork network, SimulationRandom random)
    {
        Host = host;
        _time = time;
        _network = network;
        _random = random;
        Inner = new InMemoryCoordinationStore(time);
    }

    /// <summary>The node whose machine runs the store.</summary>
    public SimulatedNode Host { get; }

    /// <summary>The store itself, as it stands at the host: the monitor's view of the truth.</summary>
    public InMemoryCoordinationStore Inner { get; }

    /// <summary>Sends <paramref name="operation"/> from <paramref name="client"/>'s node to the store; its reply completes <paramref name="call"/>.</summary>
    public void Send<T>(SimulatedStoreClient client, Func<InMemoryCoordinationStore, ValueTask<T>> operation, StoreCall<T> call)
    {
        if (TryCross(client.NodeId, Host.Id, out long delay))
        {
            _time.Schedule(new ActionEvent(() => AtStore(() => Serve(client, operation, call))), delay);
        }
    }

    /// <summary>Opens <paramref name="watch"/> for <paramref name="client"/> from <paramref name="afterRevision"/>, once the request reaches the store.</summary>
    public void Watch(SimulatedStoreClient client, SimulatedWatch watch, long afterRevision)
    {
        if (!TryCross(client.NodeId, Host.Id, out long delay))
        {
            // No way to the store at all: the connection attempt fails at once, as an unreachable host's does.
            client.Receive(0, () => watch.Fail(new CoordinationUnavailableException($"Node {client.NodeId} has no route to the coordination store on node {Host.Id}.")));
            return;
        }

        _time.Schedule(new ActionEvent(() => WatchArrives(client, watch, afterRevision)), delay);
    }

    /// <summary>
    /// A watch request reached the store's machine. Unlike a plain request it is never silently
    /// lost: a down host refuses the connection (the client learns it, as from a real etcd), and
    /// one that crashes while the request waits out a pause breaks it then.
    /// </summary>
    private void WatchArrives(SimulatedStoreClient client, SimulatedWatch watch, long afterRevision)
    {
        if (!Host.IsOsUp)
        {
            Break(client, watch, $"the coordination store's node {Host.Id} is down");
            return;
        }

        if (Host.IsPaused)
        {
            _stalledWatches.Add((client, watch));
            _stalled.Enqueue(() =>
            {
                _stalledWatches.Remove((client, watch));
                StartWatch(client, watch, afterRevision);
            });
            return;
        }

        StartWatch(client, watch, afterRevision);
    }

    /// <summary>The host resumed from a pause: what waited is served, in arrival order.</summary>
    public void OnHostResumed()
    {
        // Bounded: what runs now is served at once (the host is no longer paused), adding nothing.
        while (!Host.IsPaused && Host.IsOsUp && _stalled.TryDequeue(out Action? serve))
        {
            serve();
        }
    }

    /// <summary>The host's OS went down: requests waiting in the stalled store are lost, and every watch breaks.</summary>
    public void OnHostCrashed()
    {
        _stalled.Clear();
        foreach ((SimulatedStoreClient client, SimulatedWatch watch) in _watches.ToArray().Concat(_stalledWatches))
        {
            Break(client, watch, $"the coordination store's node {Host.Id} crashed");
        }

        _watches.Clear();
        _stalledWatches.Clear();
    }

    public void Dispose() => Inner.Dispose();

    /// <summary>A request reached the store's machine: served now, later (a paused host), or never (a crashed one).</summary>
    private void AtStore(Action serve)
    {
        if (!Host.IsOsUp)
        {
            return;
        }

        if (Host.IsPaused)
        {
            _stalled.Enqueue(serve);
            return;
        }

        serve();
    }

    private void Serve<T>(SimulatedStoreClient client, Func<InMemoryCoordinationStore, ValueTask<T>> operation, StoreCall<T> call)
    {
        // The in-memory store answers synchronously: its result, or its error (a lease that
        // expired, say), goes back as the reply.
        Action deliver;
        try
        {
            ValueTask<T> answer = operation(Inner);
            if (!answer.IsCompleted)
            {
                throw new InvalidOperationException("The in-memory coordination store did not answer synchronously under the simulator.");
            }

            T value = answer.Result;
            deliver = () => call.Succeed(value);
        }
        catch (CoordinationException ex)
        {
            deliver = () => call.Fail(ex);
        }
        catch (ArgumentException ex)
        {
            deliver = () => call.Fail(ex);
        }

        if (TryCross(Host.Id, client.NodeId, out long delay))
        {
            client.Receive(delay, deliver);
        }
    }

    private void StartWatch(SimulatedStoreClient client, SimulatedWatch watch, long afterRevision)
    {
        if (watch.IsClosed)
        {
            return;
        }

        IAsyncEnumerable<CoordinationEvent> changes;
        try
        {
            changes = Inner.WatchAsync(afterRevision, CancellationToken.None);
        }
        catch (CoordinationHistoryCompactedException ex)
        {
            Send(client, watch, () => watch.Fail(ex), breakOnLoss: false);
            return;
        }

        _watches.Add((client, watch));
        _ = ForwardAsync(client, watch, changes);
    }

    /// <summary>
    /// Sends each change of the inner watch to the watching node. Runs inline as the inner store
    /// publishes; the inner watch is never cancelled through a token (whose waiters would resume on
    /// the thread pool): a closed watch is left at its next change instead.
    /// </summary>
    private async Task ForwardAsync(SimulatedStoreClient client, SimulatedWatch watch, IAsyncEnumerable<CoordinationEvent> changes)
    {
        try
        {
            // Bounded by the watch: it ends when either end closes it or the store is disposed.
            await foreach (CoordinationEvent change in changes.ConfigureAwait(false))
            {
                if (watch.IsClosed)
                {
                    break;
                }

                if (Host.IsPaused)
                {
                    _stalled.Enqueue(() => Send(client, watch, () => watch.Arrive(change), breakOnLoss: true));
                }
                else
                {
                    Send(client, watch, () => watch.Arrive(change), breakOnLoss: true);
                }
            }
        }
        finally
        {
            _watches.Remove((client, watch));
        }
    }

    /// <summary>Sends something on a watch's stream, after everything sent on it before; with no route the watch breaks, or the message is lost.</summary>
    private void Send(SimulatedStoreClient client, SimulatedWatch watch, Action deliver, bool breakOnLoss)
    {
        if (watch.IsClosed)
        {
            return;
        }

        if (!TryCross(Host.Id, client.NodeId, out long delay))
        {
            if (breakOnLoss)
            {
                Break(client, watch, $"node {client.NodeId} has no route from the coordination store on node {Host.Id}");
            }

            return;
        }

        client.Receive(InOrder(watch, delay), deliver);
    }

    /// <summary>
    /// Ends a watch the store can no longer serve: it forwards nothing more, and the watching
    /// node's read fails (the connection's keep-alive noticing, idealised to the same instant).
    /// </summary>
    private void Break(SimulatedStoreClient client, SimulatedWatch watch, string why)
    {
        if (watch.IsClosed)
        {
            return;
        }

        watch.Close();
        var error = new CoordinationUnavailableException($"The watch broke: {why}.");
        client.Receive(InOrder(watch, 0), () => watch.Fail(error));
    }

    /// <summary>The delay that lands a message on <paramref name="watch"/> after the ones already sent on it.</summary>
    private long InOrder(SimulatedWatch watch, long delay)
    {
        long now = _time.GetTimestamp();
        long arrival = Math.Max(now + delay, watch.LastArrival);
        watch.LastArrival = arrival;
        return arrival - now;
    }

    /// <summary>Whether a message from <paramref name="from"/> can reach <paramref name="to"/> now, and after how long.</summary>
    private bool TryCross(uint from, uint to, out long delay)
    {
        delay = 0;
        if (from == to)
        {
            return true; // the store's own machine: loopback
        }

        Route route = _network.ResolveAny(from, to);
        if (!route.IsOpen)
        {
            return false;
        }

        foreach (LinkProfile hop in route.Hops!)
        {
            long ticks = hop.Latency.Ticks;
            if (hop.Jitter > TimeSpan.Zero)
            {
                ticks += (long)(((_random.NextDouble() * 2) - 1) * hop.Jitter.Ticks);
            }

            delay += Math.Max(0, ticks);
        }

        return true;
    }
}
