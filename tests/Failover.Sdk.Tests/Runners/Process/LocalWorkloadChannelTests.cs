using System.Net.Sockets;
using System.Security.Cryptography;
using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Wire;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Sdk.Tests.Runners;

/// <summary>
/// The local channel against hostile and stray input, with a <see cref="WorkloadClient"/> in
/// this process as the workload (the same code a workload process runs).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit v2 ends it in IAsyncLifetime.DisposeAsync.")]
public sealed class LocalWorkloadChannelTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly LocalWorkloadChannel _channel = new(TimeProvider.System, NullLogger.Instance, nodeId: 3);
    private readonly Socket _attacker = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<WorkloadClient> _clients = [];

    public Task InitializeAsync()
    {
        _channel.Start();
        _attacker.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (WorkloadClient client in _clients)
        {
            await client.DisposeAsync();
        }

        _attacker.Dispose();
        await _channel.DisposeAsync();
    }

    [Fact]
    public async Task Garbage_forged_and_untagged_datagrams_are_dropped_and_the_channel_still_answers()
    {
        (WorkloadDescriptor workload, AwaitableSignals signals) = await ConnectAsync("hostile-1");
        long delivered = _channel.Delivered;

        _attacker.SendTo(RandomNumberGenerator.GetBytes(61), _channel.EndPoint);
        _attacker.SendTo([], _channel.EndPoint);
        Send(Heartbeat(workload.WireId), new FrameWriter(new FrameAuthenticator(RandomNumberGenerator.GetBytes(32))));
        Send(Heartbeat(workload.WireId), new FrameWriter());
        Send(Reply(workload.WireId, key: 1, response: 2), new FrameWriter(new FrameAuthenticator(RandomNumberGenerator.GetBytes(32))));

        await Eventually.TrueAsync(() => _channel.Rejected == 5, "five datagrams rejected", Deadline);
        Assert.Equal(delivered, _channel.Delivered);
        Assert.Equal(0, signals.Answers);

        UInt128 key = ProcessHarness.Run.NewKey();
        _channel.SendProbe(workload.WireId, key);
        Assert.Equal(ProbeDigest.Compute(workload.ProbeSecret, workload.WireId, key), await signals.AnswerTo(key).WaitAsync(Deadline));
    }

    [Fact]
    public async Task Authentic_frames_for_an_unregistered_workload_or_of_another_type_are_dropped()
    {
        (WorkloadDescriptor workload, AwaitableSignals signals) = await ConnectAsync("stray-1");
        var writer = new FrameWriter(new FrameAuthenticator(_channel.ChannelKey));
        int heartbeats = signals.Heartbeats;

        Send(Heartbeat(workload.WireId + 1), writer);
        Send(new Frame { Type = FrameType.Heartbeat, Sender = workload.WireId, Incarnation = 1, Sequence = 1 }, writer);

        await Eventually.TrueAsync(() => _channel.Unrouted == 2, "two frames without a route", Deadline);
        Assert.Equal(0, _channel.Rejected);
        Assert.Equal(heartbeats, signals.Heartbeats);
    }

    [Fact]
    public async Task A_replayed_frame_is_dropped_but_a_new_registration_starts_a_fresh_window()
    {
        WorkloadDescriptor workload = Workload("replay-1");
        var signals = new AwaitableSignals();
        var writer = new FrameWriter(new FrameAuthenticator(_channel.ChannelKey));
        Frame beat = Heartbeat(workload.WireId) with { Incarnation = 5000, Sequence = 100 };

        using (_channel.Register(workload, signals))
        {
            Send(beat, writer);
            await Eventually.TrueAsync(() => signals.Heartbeats == 1, "the first heartbeat", Deadline);
            Send(beat, writer);
            await Eventually.TrueAsync(() => _channel.Rejected == 1, "the replay rejected", Deadline);
        }

        // The next run's process may well have a smaller pid (its incarnation): it is heard.
        var next = new AwaitableSignals();
        using (_channel.Register(workload, next))
        {
            Send(beat with { Incarnation = 1200, Sequence = 1 }, writer);
            await Eventually.TrueAsync(() => next.Heartbeats == 1, "the next run's heartbeat", Deadline);
        }

        Assert.Equal(1, signals.Heartbeats);
    }

    [Fact]
    public void A_probe_for_a_workload_not_heard_from_is_dropped_and_counted()
    {
        WorkloadDescriptor workload = Workload("silent-1");
        using IDisposable registration = _channel.Register(workload, new AwaitableSignals());

        _channel.SendProbe(workload.WireId, 1);
        _channel.SendProbe(workload.WireId + 1, 2);

        Assert.Equal(2, _channel.ProbesDropped);
    }

    [Fact]
    public void A_workload_is_registered_once_at_a_time()
    {
        WorkloadDescriptor workload = Workload("once-1");
        IDisposable first = _channel.Register(workload, new AwaitableSignals());

        var ex = Assert.Throws<InvalidOperationException>(() => _channel.Register(workload, new AwaitableSignals()));
        Assert.Contains("once-1", ex.Message, StringComparison.Ordinal);

        first.Dispose();
        using IDisposable second = _channel.Register(workload, new AwaitableSignals());

        // Disposing a registration twice never removes its successor.
        first.Dispose();
        Assert.Throws<InvalidOperationException>(() => _channel.Register(workload, new AwaitableSignals()));
    }

    [Fact]
    public async Task The_client_heartbeats_on_demand_and_its_frames_carry_its_fencing_token()
    {
        (WorkloadDescriptor workload, AwaitableSignals signals) = await ConnectAsync("demand-1");
        WorkloadClient client = _clients[^1];
        int before = signals.Heartbeats;

        client.Heartbeat();
        client.Heartbeat();

        await Eventually.TrueAsync(() => signals.Heartbeats == before + 2, "two heartbeats on demand", Deadline);
        Assert.Equal("demand-1", client.WorkloadId);
        Assert.Equal(3u, client.NodeId);
        Assert.Equal(77, client.FencingToken);
        Assert.Equal(workload.WireId, WorkloadWireIds.Of(client.WorkloadId));
    }

    private static WorkloadDescriptor Workload(string id) =>
        new(new Failover.Sdk.Configuration.FailoverWorkloadOptions { Id = id }, RandomNumberGenerator.GetBytes(32));

    /// <summary>Registers a workload and starts an in-process client for it, as the runner's process would; waits for its hello.</summary>
    private async Task<(WorkloadDescriptor Workload, AwaitableSignals Signals)> ConnectAsync(string id)
    {
        WorkloadDescriptor workload = Workload(id);
        var signals = new AwaitableSignals();
        _channel.Register(workload, signals);
        Dictionary<string, string> variables = WorkloadEnvironment.For(workload, _channel.EndPoint, _channel.ChannelKey, _channel.NodeId, fencingToken: 77);
        WorkloadClient client = WorkloadClient.FromVariables(name => variables.GetValueOrDefault(name))!;
        _clients.Add(client);
        client.Start();
        await Eventually.TrueAsync(() => signals.Heartbeats > 0, "the client's hello", Deadline);
        return (workload, signals);
    }

    private static Frame Heartbeat(uint wireId) => new()
    {
        Type = FrameType.WorkloadHeartbeat,
        Sender = wireId,
        Target = 3,
        Incarnation = 1,
        Sequence = (ulong)Environment.TickCount64,
        WorkloadId = wireId,
    };

    private static Frame Reply(uint wireId, UInt128 key, UInt128 response) => Heartbeat(wireId) with
    {
        Type = FrameType.ProbeReply,
        Key = key,
        Response = response,
    };

    private void Send(in Frame frame, FrameWriter writer)
    {
        byte[] bytes = new byte[writer.GetLength(frame.Type)];
        writer.Write(frame, bytes);
        _attacker.SendTo(bytes, _channel.EndPoint);
    }
}
