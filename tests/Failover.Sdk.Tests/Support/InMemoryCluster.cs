using System.Collections.Concurrent;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// Agents in one process, each in its own host, over one <see cref="InMemoryNetwork"/>
/// and one <see cref="FakeTimeProvider"/>; every peer and path change they report, and
/// every line they log, is recorded.
/// </summary>
internal sealed class InMemoryCluster
{
    private readonly Dictionary<uint, IHost> _hosts = [];
    private readonly ushort[]? _paths;

    /// <param name="interval">The heartbeat interval of every node.</param>
    /// <param name="missed">Missed heartbeats before suspicion.</param>
    /// <param name="network">The network, when a test brings its own (with a carrier); a plain one otherwise.</param>
    /// <param name="paths">The paths every node has and reaches every peer on; path 1 alone when not given.</param>
    public InMemoryCluster(TimeSpan interval, int missed, InMemoryNetwork? network = null, ushort[]? paths = null)
    {
        Interval = interval;
        Missed = missed;
        Network = network ?? new InMemoryNetwork();
        _paths = paths;
    }

    public TimeSpan Interval { get; }

    public int Missed { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public InMemoryNetwork Network { get; }

    public ConcurrentQueue<(uint Observer, PeerStatusChangedEventArgs Change)> Changes { get; } = new();

    /// <summary>Peer and path changes together, in the order each observer raised them.</summary>
    public ConcurrentQueue<(uint Observer, EventArgs Change)> Timeline { get; } = new();

    /// <summary>The path changes <paramref name="observer"/> reported about <paramref name="peer"/>, in order.</summary>
    public PathStatusChangedEventArgs[] PathChanges(uint observer, uint peer) =>
        [.. Timeline.Where(e => e.Observer == observer).Select(e => e.Change).OfType<PathStatusChangedEventArgs>().Where(c => c.NodeId == peer)];

    public FakeLogCollector Logs(uint node) => _hosts[node].Services.GetFakeLogCollector();

    public IHost Host(uint node) => _hosts[node];

    public FailoverAgent Agent(uint node) => _hosts[node].Services.GetRequiredService<FailoverAgent>();

    /// <summary>Starts (or restarts, replacing a stopped host) the agent of <paramref name="node"/>.</summary>
    public async Task StartAsync(uint node, uint incarnation, uint[] peers, Action<FailoverOptions>? configure = null)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddFakeLogging();
        builder.Services.AddFailover(o =>
        {
            o.NodeId = node;
            o.Incarnation = incarnation;
            o.HeartbeatInterval = Interval;
            o.MissedHeartbeats = Missed;
            foreach (ushort path in _paths ?? [])
            {
                o.Paths.Add(new() { Id = path });
            }

            foreach (ushort path in _paths ?? [1])
            {
                foreach (uint peer in peers)
                {
                    o.Peers.Add(new() { NodeId = peer, PathId = path });
                }
            }

            configure?.Invoke(o);
        }).UseInMemoryNetwork(Network);
        IHost host = builder.Build();
        FailoverAgent agent = host.Services.GetRequiredService<FailoverAgent>();
        agent.PeerStatusChanged += (_, e) =>
        {
            Changes.Enqueue((node, e));
            Timeline.Enqueue((node, e));
        };
        agent.PathStatusChanged += (_, e) => Timeline.Enqueue((node, e));
        if (_hosts.Remove(node, out IHost? previous))
        {
            previous.Dispose();
        }

        _hosts[node] = host;
        await host.StartAsync();
    }

    public long Received(uint node) => _hosts[node].Services.GetRequiredService<TransportSet>().All.Sum(t => t.Counters.Received);

    /// <summary>Advances one heartbeat interval and waits until <paramref name="listener"/> has received its peers' heartbeats.</summary>
    public async Task TickAsync(uint listener, int expectedFrames)
    {
        long before = Received(listener);
        Time.Advance(Interval);
        await Eventually.TrueAsync(() => Received(listener) >= before + expectedFrames, $"node {listener} receives {expectedFrames} heartbeat(s)");
    }

    /// <summary>Stops and disposes every host; a test's <c>IAsyncLifetime.DisposeAsync</c> calls it.</summary>
    public async Task StopAllAsync()
    {
        foreach (IHost host in _hosts.Values)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
