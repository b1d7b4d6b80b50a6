using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Transports;

/// <remarks>xunit v2 disposes test classes through <see cref="IAsyncLifetime"/> only, not <see cref="IAsyncDisposable"/>.</remarks>
public sealed class TcpTransportTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IDisposable client in _clients)
        {
            client.Dispose();
        }

        foreach (IAsyncDisposable owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_transports_on_loopback_exchange_the_exact_frame_of_every_type_both_ways()
    {
        (TcpTransport a, RecordingHandler atA) = await StartAsync(1, authenticated: true);
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2, authenticated: true);
        a.SetPeer(2, b.LocalEndPoint);
        b.SetPeer(1, a.LocalEndPoint);
        Assert.NotEqual(0, a.LocalEndPoint.Port);

        Frame[] toB = TestFrames.EveryType(sender: 1, target: 2, pathId: 1, firstSequence: 1);
        Frame[] toA = TestFrames.EveryType(sender: 2, target: 1, pathId: 1, firstSequence: 100);
        for (int i = 0; i < toB.Length; i++)
        {
            Assert.True(await a.SendAsync(toB[i]));
            Assert.True(await b.SendAsync(toA[i]));
        }

        // One connection per direction: frames arrive in the order they were sent.
        foreach (Frame frame in toB)
        {
            ReceivedFrame got = await atB.NextAsync();
            Assert.Equal(frame, got.Frame);
            Assert.True(got.Receipt.IsAuthenticated);
            Assert.Equal(1, got.Receipt.PathId);
        }

        foreach (Frame frame in toA)
        {
            Assert.Equal(frame, (await atA.NextAsync()).Frame);
        }

        Assert.Equal(toB.Length, a.Counters.Sent);
        Assert.Equal(toB.Length, b.Counters.Received);
        Assert.Equal(0, b.Counters.Rejected + b.Counters.ConnectionErrors);
    }

    [Fact]
    public async Task Two_transports_on_IPv6_loopback_exchange_frames()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        (TcpTransport a, _) = await StartAsync(1, address: IPAddress.IPv6Loopback);
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2, address: IPAddress.IPv6Loopback);
        a.SetPeer(2, b.LocalEndPoint);

        Frame frame = TestFrames.Heartbeat(1, 2, 1, 1);
        Assert.True(await a.SendAsync(frame));

        Assert.Equal(frame, (await atB.NextAsync()).Frame);
    }

    [Fact]
    public async Task Garbage_closes_that_connection_and_the_transport_keeps_accepting()
    {
        var logger = new FakeLogger();
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2, logger: logger);
        Socket garbage = await ConnectAsync(b);
        byte[] noise = new byte[64];
        new Random(7).NextBytes(noise);
        noise[0] = 0x00; // not the magic, whatever the seed

        await garbage.SendAsync(noise);

        await AssertClosedByPeerAsync(garbage);
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.BadMagic));
        FakeLogRecord closed = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 1026);
        Assert.Equal(LogLevel.Warning, closed.Level);
        Assert.Contains("BadMagic", closed.Message, StringComparison.Ordinal);

        Socket good = await ConnectAsync(b);
        Frame frame = TestFrames.Heartbeat(1, 2, 1, 1);
        await good.SendAsync(TestFrames.Encode(frame));
        Assert.Equal(frame, (await atB.NextAsync()).Frame);
        Assert.Equal(1, b.Counters.Received);
    }

    [Fact]
    public async Task Half_a_frame_then_end_of_stream_is_counted_as_truncated()
    {
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2);
        Socket client = await ConnectAsync(b);
        byte[] frame = TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 1));

        await client.SendAsync(frame.AsMemory(0, frame.Length / 2));
        client.Shutdown(SocketShutdown.Send);

        // The transport counts before it closes its side, so seeing the close means it counted.
        await AssertClosedByPeerAsync(client);
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.Truncated));
        Assert.Equal(0, b.Counters.Received);

        Socket next = await ConnectAsync(b);
        await next.SendAsync(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 2)));
        Assert.Equal(2UL, (await atB.NextAsync()).Frame.Sequence);
    }

    [Fact]
    public async Task A_frame_written_one_byte_at_a_time_arrives_intact()
    {
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2, authenticated: true);
        Socket client = await ConnectAsync(b);
        Frame frame = TestFrames.EveryType(1, 2, 1, 1)[2];
        byte[] bytes = TestFrames.Encode(frame, new FrameWriter(new FrameAuthenticator(TestFrames.Key)));

        for (int i = 0; i < bytes.Length; i++)
        {
            await client.SendAsync(bytes.AsMemory(i, 1));
        }

        ReceivedFrame got = await atB.NextAsync();
        Assert.Equal(frame, got.Frame);
        Assert.True(got.Receipt.IsAuthenticated);
        Assert.Equal(0, b.Counters.Rejected);
    }

    [Fact]
    public async Task An_oversized_length_closes_the_connection_before_any_body_is_sent()
    {
        (TcpTransport b, _) = await StartAsync(2);
        Socket client = await ConnectAsync(b);
        byte[] header = TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 1))[..8];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), ushort.MaxValue);

        await client.SendAsync(header);

        await AssertClosedByPeerAsync(client);
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.Oversized));
    }

    [Fact]
    public async Task A_rejected_but_delimited_frame_is_skipped_and_the_connection_goes_on()
    {
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2, authenticated: true);
        Socket client = await ConnectAsync(b);
        var signed = new FrameWriter(new FrameAuthenticator(TestFrames.Key));
        var forger = new FrameWriter(new FrameAuthenticator(new byte[32]));
        byte[] first = TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 1), signed);

        await client.SendAsync(first);
        await client.SendAsync(first);
        await client.SendAsync(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 2), forger));
        await client.SendAsync(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 3), signed));

        Assert.Equal(1UL, (await atB.NextAsync()).Frame.Sequence);
        Assert.Equal(3UL, (await atB.NextAsync()).Frame.Sequence);
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.Replayed));
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.BadTag));
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed_on_arrival()
    {
        var b = new TcpTransport(TestFrames.Settings(2, 1), new IPEndPoint(IPAddress.Loopback, 0)) { MaxInboundConnections = 1 };
        _owned.Add(b);
        var atB = new RecordingHandler();
        await b.StartAsync(atB, CancellationToken.None);

        Socket admitted = await ConnectAsync(b);
        await admitted.SendAsync(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 1)));
        await atB.NextAsync();

        Socket extra = await ConnectAsync(b);
        await AssertClosedByPeerAsync(extra);
        Assert.Equal(1, b.Counters.ConnectionErrors);

        await admitted.SendAsync(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 2)));
        Assert.Equal(2UL, (await atB.NextAsync()).Frame.Sequence);
    }

    [Fact]
    public async Task A_dead_peer_is_tried_at_most_once_per_backoff_period_and_reached_when_it_is_back()
    {
        var time = new FakeTimeProvider();
        var a = new TcpTransport(TestFrames.Settings(1, 1, time), new IPEndPoint(IPAddress.Loopback, 0));
        _owned.Add(a);
        await a.StartAsync(new RecordingHandler(), CancellationToken.None);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        a.SetPeer(2, peer);

        Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));

        // The peer comes back on its port, but the failed attempt is too recent to try again.
        listener = new TcpListener(peer);
        listener.Start();
        try
        {
            Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 2)));
            Assert.False(listener.Pending());
            Assert.Equal(2, a.Counters.SendFailures);

            time.Advance(ReconnectBackoff.Initial);
            Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 3)));
            using TcpClient accepted = await listener.AcceptTcpClientAsync().WaitAsync(RecordingHandler.Deadline);
            Assert.Equal(1, a.Counters.Sent);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_dropped_connection_is_replaced_by_the_next_send()
    {
        (TcpTransport a, _) = await StartAsync(1);
        (TcpTransport b, RecordingHandler atB) = await StartAsync(2);
        a.SetPeer(2, b.LocalEndPoint);
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));
        await atB.NextAsync();

        // The peer restarts on another port: the old connection dies, the address changes.
        await b.DisposeAsync();
        (TcpTransport b2, RecordingHandler atB2) = await StartAsync(2);
        a.SetPeer(2, b2.LocalEndPoint);

        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 2)));
        Assert.Equal(2UL, (await atB2.NextAsync()).Frame.Sequence);
    }

    [Fact]
    public async Task A_connection_reset_by_the_peer_fails_one_send_and_the_next_send_reconnects_at_once()
    {
        // Frozen clock: had the failure started a back-off, the reconnect below could not happen.
        var time = new FakeTimeProvider();
        var a = new TcpTransport(TestFrames.Settings(1, 1, time), new IPEndPoint(IPAddress.Loopback, 0));
        _owned.Add(a);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            a.SetPeer(2, (IPEndPoint)listener.LocalEndpoint);
            Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));
            using (Socket accepted = await listener.AcceptSocketAsync().WaitAsync(RecordingHandler.Deadline))
            {
                accepted.LingerState = new LingerOption(enable: true, seconds: 0);
            }

            // The reset reaches the sender's socket asynchronously; bounded in count.
            bool failed = false;
            for (ulong sequence = 2; sequence < 1000 && !failed; sequence++)
            {
                failed = !await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, sequence));
            }

            Assert.True(failed);
            Assert.Equal(1, a.Counters.SendFailures);
            Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 5000)));
            using Socket second = await listener.AcceptSocketAsync().WaitAsync(RecordingHandler.Deadline);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task SendAsync_returns_false_and_counts_a_failure_for_a_node_without_an_address()
    {
        (TcpTransport a, _) = await StartAsync(1);

        Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));

        Assert.Equal(1, a.Counters.SendFailures);
    }

    [Fact]
    public async Task DisposeAsync_closes_inbound_connections_and_returns_within_the_deadline()
    {
        var b = new TcpTransport(TestFrames.Settings(2, 1), new IPEndPoint(IPAddress.Loopback, 0));
        var atB = new RecordingHandler();
        await b.StartAsync(atB, CancellationToken.None);
        Socket client = await ConnectAsync(b);
        await client.SendAsync(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, 1)));
        await atB.NextAsync();

        await b.DisposeAsync().AsTask().WaitAsync(RecordingHandler.Deadline);

        await AssertClosedByPeerAsync(client);
    }

    /// <summary>Waits until the transport closes the connection: end of stream or a reset, within the deadline.</summary>
    private static async Task AssertClosedByPeerAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var deadline = new CancellationTokenSource(RecordingHandler.Deadline);
        try
        {
            // Bounded: the transport never writes on an inbound connection, so the first read is the close.
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            Assert.Equal(0, read);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Closed with data still unread on its side: also closed.
        }
    }

    private async Task<Socket> ConnectAsync(TcpTransport transport)
    {
        var socket = new Socket(transport.LocalEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _clients.Add(socket);
        await socket.ConnectAsync(transport.LocalEndPoint).WaitAsync(RecordingHandler.Deadline);
        return socket;
    }

    private async Task<(TcpTransport Transport, RecordingHandler Handler)> StartAsync(uint nodeId, bool authenticated = false, IPAddress? address = null, ILogger? logger = null)
    {
        TransportSettings settings = TestFrames.Settings(nodeId, 1, authenticated: authenticated) with { Logger = logger ?? NullLogger.Instance };
        var transport = new TcpTransport(settings, new IPEndPoint(address ?? IPAddress.Loopback, 0));
        _owned.Add(transport);
        var handler = new RecordingHandler();
        await transport.StartAsync(handler, CancellationToken.None);
        return (transport, handler);
    }
}
