// The Failover.Sdk demo: three agents in one process, heartbeating every 100 ms over the
// embedded in-memory network. Node 3 crashes; nodes 1 and 2 notice within 3 missed
// heartbeats. Node 3 comes back as a new incarnation; both see it up again.
//
//   dotnet run --project samples/Failover.Sdk.Demo
using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Agent;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

TimeSpan interval = TimeSpan.FromMilliseconds(100);
const int Missed = 3;
uint[] nodes = [1, 2, 3];
var network = new InMemoryNetwork();
var timeline = new Timeline();

timeline.Say($"Starting nodes {string.Join(", ", nodes)}: heartbeat every {interval.TotalMilliseconds:F0} ms, a peer is down after {Missed} missed.");
var hosts = new Dictionary<uint, IHost>();
foreach (uint node in nodes)
{
    hosts[node] = await StartNodeAsync(node, incarnation: 1);
}

await timeline.WaitAsync(since: 0, e => e.Current == PeerState.Up, count: nodes.Length * (nodes.Length - 1), "every node sees every peer up");

timeline.Say("Node 3 crashes (its host stops without a goodbye).");
int mark = timeline.Mark();
long crashedAt = timeline.Now;
await hosts[3].StopAsync();
hosts[3].Dispose();
await timeline.WaitAsync(mark, e => e.NodeId == 3 && e.Current == PeerState.Down, count: 2, "nodes 1 and 2 report node 3 down");
timeline.Say($"Detected {timeline.Now - crashedAt} ms after the crash; the bound is {Missed} x {interval.TotalMilliseconds:F0} ms = {Missed * interval.TotalMilliseconds:F0} ms after the last heartbeat it sent.");

timeline.Say("Node 3 restarts as incarnation 2.");
mark = timeline.Mark();
hosts[3] = await StartNodeAsync(3, incarnation: 2);
await timeline.WaitAsync(mark, e => e.NodeId == 3 && e.Current == PeerState.Up && e.Incarnation == 2, count: 2, "nodes 1 and 2 see node 3 up again");

foreach (IHost host in hosts.Values)
{
    await host.StopAsync();
    host.Dispose();
}

timeline.Say("Done.");
return 0;

async Task<IHost> StartNodeAsync(uint node, uint incarnation)
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services
        .AddFailover(o =>
        {
            o.NodeId = node;
            o.Incarnation = incarnation;
            o.HeartbeatInterval = interval;
            o.MissedHeartbeats = Missed;
            foreach (uint peer in nodes.Where(n => n != node))
            {
                o.Peers.Add(new() { NodeId = peer });
            }
        })
        .UseInMemoryNetwork(network);
    IHost host = builder.Build();
    host.Services.GetRequiredService<FailoverAgent>().PeerStatusChanged += (sender, e) => timeline.Record(((FailoverAgent)sender!).NodeId, e);
    await host.StartAsync();
    return host;
}

/// <summary>Prints what the agents report, with the time since the demo started.</summary>
internal sealed class Timeline
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly List<PeerStatusChangedEventArgs> _events = [];

    public long Now => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    public void Say(string text) => Write($"{Now,6} ms  {text}");

    public void Record(uint observer, PeerStatusChangedEventArgs e)
    {
        string what = e.Current switch
        {
            PeerState.Down => $"node {observer}: peer {e.NodeId} is DOWN (silent {e.Silence.TotalMilliseconds:F0} ms)",
            _ when e.IsRestart => $"node {observer}: peer {e.NodeId} restarted (incarnation {e.PreviousIncarnation} -> {e.Incarnation})",
            _ => $"node {observer}: peer {e.NodeId} is up (incarnation {e.Incarnation})",
        };
        lock (_gate)
        {
            _events.Add(e);
        }

        Say(what);
    }

    /// <summary>How many events have been recorded so far: a mark to wait from.</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _events.Count;
        }
    }

    /// <summary>Waits, up to a deadline, until <paramref name="count"/> events after <paramref name="since"/> match.</summary>
    public async Task WaitAsync(int since, Func<PeerStatusChangedEventArgs, bool> match, int count, string what)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            do
            {
                lock (_gate)
                {
                    if (_events.Skip(since).Count(match) >= count)
                    {
                        return;
                    }
                }
            }
            while (await poll.WaitForNextTickAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"Not seen within {Deadline.TotalSeconds} s: {what}.");
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            Console.WriteLine(line);
        }
    }
}
