using System.Diagnostics.Metrics;
using Failover.Sdk.Telemetry;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Transports;

public class InMemoryTransportTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task SendAsync_delivers_the_exact_frame_of_every_type_to_the_target()
    {
        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 5, _time));
        await using var b = new InMemoryTransport(network, TestFrames.Settings(2, 5, _time));
        var received = new RecordingHandler();
        await a.StartAsync(new RecordingHandler(), CancellationToken.None);
        await b.StartAsync(received, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));

        Frame[] frames = TestFrames.EveryType(sender: 1, target: 2, pathId: 5, firstSequence: 1);
        foreach (Frame frame in frames)
        {
            Assert.True(await a.SendAsync(frame));
        }

        foreach (Frame frame in frames)
        {
            ReceivedFrame got = await received.NextAsync();
            Assert.Equal(frame, got.Frame);
            Assert.Equal(new FrameReceipt(5, IsAuthenticated: false, ReceivedAt: _time.GetTimestamp()), got.Receipt);
        }

        Assert.Equal(frames.Length, a.Counters.Sent);
        Assert.Equal(frames.Length, b.Counters.Received);
        Assert.Equal(0, b.Counters.Rejected);
    }

    [Fact]
    public async Task SendAsync_routes_by_path_and_stamps_the_senders_path()
    {
        var network = new InMemoryNetwork();
        await using var sender = new InMemoryTransport(network, TestFrames.Settings(1, 2, _time));
        await using var onPath1 = new InMemoryTransport(network, TestFrames.Settings(2, 1, _time));
        await using var onPath2 = new InMemoryTransport(network, TestFrames.Settings(2, 2, _time));
        var path1 = new RecordingHandler();
        var path2 = new RecordingHandler();
        await onPath1.StartAsync(path1, CancellationToken.None);
        await onPath2.StartAsync(path2, CancellationToken.None);

        // The frame names path 1, but it travels on the sender's path 2 and says so on arrival.
        Assert.True(await sender.SendAsync(TestFrames.Heartbeat(1, 2, pathId: 1, sequence: 1)));

        ReceivedFrame got = await path2.NextAsync();
        Assert.Equal(2, got.Frame.PathId);
        Assert.Equal(2, got.Receipt.PathId);
        Assert.Equal(0, path1.Pending);
        Assert.Equal(0, onPath1.Counters.Received);
    }

    [Fact]
    public async Task Isolate_drops_frames_both_ways_silently_until_Reconnect()
    {
        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 1, _time));
        await using var b = new InMemoryTransport(network, TestFrames.Settings(2, 1, _time));
        var atA = new RecordingHandler();
        var atB = new RecordingHandler();
        await a.StartAsync(atA, CancellationToken.None);
        await b.StartAsync(atB, CancellationToken.None);

        network.Isolate(2);
        Assert.True(network.IsIsolated(2));
        Assert.False(network.IsIsolated(1));

        // Delivery is synchronous, so "not delivered" is known when SendAsync returns.
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, sequence: 1)));
        Assert.True(await b.SendAsync(TestFrames.Heartbeat(2, 1, 1, sequence: 1)));
        Assert.Equal(0, atA.Pending);
        Assert.Equal(0, atB.Pending);
        Assert.Equal(1, a.Counters.Sent);
        Assert.Equal(1, b.Counters.Sent);
        Assert.Equal(0, a.Counters.SendFailures);

        network.Reconnect(2);
        Assert.False(network.IsIsolated(2));
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, sequence: 2)));
        Assert.True(await b.SendAsync(TestFrames.Heartbeat(2, 1, 1, sequence: 2)));
        Assert.Equal(2UL, (await atB.NextAsync()).Frame.Sequence);
        Assert.Equal(2UL, (await atA.NextAsync()).Frame.Sequence);
    }

    [Fact]
    public async Task SendAsync_returns_false_and_counts_a_failure_when_the_target_has_no_transport_on_the_path()
    {
        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 1, _time));
        await using var otherPath = new InMemoryTransport(network, TestFrames.Settings(2, 9, _time));

        Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));
        Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 3, 1, 2)));

        Assert.Equal(2, a.Counters.SendFailures);
        Assert.Equal(0, a.Counters.Sent);
    }

    [Fact]
    public async Task DisposeAsync_unregisters_so_the_node_can_come_back_on_the_same_path()
    {
        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 1, _time));
        var b = new InMemoryTransport(network, TestFrames.Settings(2, 1, _time));
        Assert.Throws<InvalidOperationException>(() => new InMemoryTransport(network, TestFrames.Settings(2, 1, _time)));

        await b.DisposeAsync();
        Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));

        await using var again = new InMemoryTransport(network, TestFrames.Settings(2, 1, _time));
        var received = new RecordingHandler();
        await again.StartAsync(received, CancellationToken.None);
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 2)));
        Assert.Equal(2UL, (await received.NextAsync()).Frame.Sequence);
    }

    [Fact]
    public async Task Receiver_decodes_with_its_own_reader_so_replays_are_rejected_and_tags_verified()
    {
        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 1, _time, authenticated: true));
        await using var b = new InMemoryTransport(network, TestFrames.Settings(2, 1, _time, authenticated: true));
        var received = new RecordingHandler();
        await b.StartAsync(received, CancellationToken.None);

        Frame frame = TestFrames.Heartbeat(1, 2, 1, sequence: 10);
        Assert.True(await a.SendAsync(frame));
        Assert.True(await a.SendAsync(frame));

        Assert.True((await received.NextAsync()).Receipt.IsAuthenticated);
        Assert.Equal(0, received.Pending);
        Assert.Equal(1, b.Counters.Received);
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.Replayed));
    }

    [Fact]
    public async Task A_handler_that_throws_neither_reaches_the_sender_nor_stops_delivery()
    {
        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 1, _time));
        await using var b = new InMemoryTransport(network, TestFrames.Settings(2, 1, _time));
        var handler = new ThrowingHandler();
        await b.StartAsync(handler, CancellationToken.None);

        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 2)));

        Assert.Equal(2, handler.Calls);
        Assert.Equal(2, b.Counters.Received);
    }

    [Fact]
    public async Task Sends_receipts_and_rejections_are_recorded_in_the_meter_with_the_path_tag()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var metrics = new FailoverMetrics(meterFactory);
        using var sent = new MetricCollector<long>(meterFactory, FailoverMetrics.MeterName, "failover.frame.sent");
        using var receivedMetric = new MetricCollector<long>(meterFactory, FailoverMetrics.MeterName, "failover.frame.received");
        using var rejected = new MetricCollector<long>(meterFactory, FailoverMetrics.MeterName, "failover.frame.rejected");
        using var failed = new MetricCollector<long>(meterFactory, FailoverMetrics.MeterName, "failover.frame.send_failures");

        var network = new InMemoryNetwork();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 3, _time) with { Metrics = metrics });
        await using var b = new InMemoryTransport(network, TestFrames.Settings(2, 3, _time) with { Metrics = metrics });
        await b.StartAsync(new RecordingHandler(), CancellationToken.None);

        Frame frame = TestFrames.Heartbeat(1, 2, 3, 1);
        await a.SendAsync(frame);
        await a.SendAsync(frame);
        await a.SendAsync(frame with { Target = 99 });

        Assert.Equal(2, sent.GetMeasurementSnapshot().Count);
        Assert.Equal("3", sent.LastMeasurement!.Tags["failover.path"]);
        Assert.Equal("heartbeat", sent.LastMeasurement.Tags["failover.frame.type"]);
        Assert.Single(receivedMetric.GetMeasurementSnapshot());
        Assert.Equal("replayed", rejected.LastMeasurement!.Tags["failover.reject.reason"]);
        Assert.Single(failed.GetMeasurementSnapshot());
    }

    private sealed class ThrowingHandler : IFrameHandler
    {
        public int Calls;

        public void OnFrame(in Frame frame, in FrameReceipt receipt)
        {
            Calls++;
            throw new InvalidOperationException("a bug above the transport");
        }
    }
}
