using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Transports;

/// <remarks>xunit v2 disposes test classes through <see cref="IAsyncLifetime"/> only, not <see cref="IAsyncDisposable"/>.</remarks>
public sealed class UdpTransportTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IAsyncDisposable owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_transports_on_loopback_exchange_the_exact_frame_of_every_type_both_ways()
    {
        (UdpTransport a, RecordingHandler atA) = await StartAsync(1, IPAddress.Loopback, authenticated: true);
        (UdpTransport b, RecordingHandler atB) = await StartAsync(2, IPAddress.Loopback, authenticated: true);
        a.SetPeer(2, b.LocalEndPoint);
        b.SetPeer(1, a.LocalEndPoint);
        Assert.NotEqual(0, a.LocalEndPoint.Port);

        await ExchangeEveryTypeAsync(a, atA, b, atB);
    }

    [Fact]
    public async Task Two_transports_on_IPv6_loopback_exchange_frames()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        (UdpTransport a, RecordingHandler atA) = await StartAsync(1, IPAddress.IPv6Loopback);
        (UdpTransport b, RecordingHandler atB) = await StartAsync(2, IPAddress.IPv6Loopback);
        a.SetPeer(2, b.LocalEndPoint);
        b.SetPeer(1, a.LocalEndPoint);
        Assert.Equal(AddressFamily.InterNetworkV6, a.LocalEndPoint.AddressFamily);

        await ExchangeEveryTypeAsync(a, atA, b, atB);
    }

    [Fact]
    public async Task Garbage_datagrams_are_rejected_for_their_reason_and_a_valid_frame_still_arrives()
    {
        (UdpTransport b, RecordingHandler atB) = await StartAsync(2, IPAddress.Loopback, authenticated: true);
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var signed = new FrameWriter(new FrameAuthenticator(TestFrames.Key));
        var forger = new FrameWriter(new FrameAuthenticator(new byte[32]));

        var random = new byte[30];
        new Random(20240611).NextBytes(random);
        random[0] = 0x00;
        byte[] valid = TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, sequence: 1), signed);
        byte[] forged = TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, sequence: 2), forger);
        byte[] trailing = [.. TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, sequence: 3), signed), 0x00];

        raw.SendTo(random, b.LocalEndPoint);
        raw.SendTo(valid.AsSpan(0, 20).ToArray(), b.LocalEndPoint);
        raw.SendTo(forged, b.LocalEndPoint);
        raw.SendTo(trailing, b.LocalEndPoint);
        raw.SendTo(valid, b.LocalEndPoint);
        raw.SendTo(valid, b.LocalEndPoint);
        raw.SendTo(TestFrames.Encode(TestFrames.Heartbeat(1, 2, 1, sequence: 4), signed), b.LocalEndPoint);

        // One socket to one socket on loopback keeps order: once sequence 4 arrives, all the rest was read.
        Assert.Equal(1UL, (await atB.NextAsync()).Frame.Sequence);
        Assert.Equal(4UL, (await atB.NextAsync()).Frame.Sequence);
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.BadMagic));
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.Truncated));
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.BadTag));
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.TrailingBytes));
        Assert.Equal(1, b.Counters.RejectedFor(FrameRejectReason.Replayed));
        Assert.Equal(5, b.Counters.Rejected);
        Assert.Equal(2, b.Counters.Received);
    }

    [Fact]
    public async Task Sending_to_a_port_nobody_listens_on_does_not_break_the_receive_loop()
    {
        (UdpTransport a, RecordingHandler atA) = await StartAsync(1, IPAddress.Loopback);
        (UdpTransport b, _) = await StartAsync(2, IPAddress.Loopback);
        a.SetPeer(9, DeadPort());
        b.SetPeer(1, a.LocalEndPoint);

        for (ulong i = 1; i <= 3; i++)
        {
            await a.SendAsync(TestFrames.Heartbeat(1, 9, 1, i));
        }

        Assert.True(await b.SendAsync(TestFrames.Heartbeat(2, 1, 1, sequence: 1)));

        Assert.Equal(2U, (await atA.NextAsync()).Frame.Sender);
        Assert.Equal(3, a.Counters.Sent + a.Counters.SendFailures);
    }

    [Fact]
    public async Task SendAsync_returns_false_and_counts_a_failure_for_a_node_without_an_address()
    {
        (UdpTransport a, _) = await StartAsync(1, IPAddress.Loopback);

        Assert.False(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));

        Assert.Equal(1, a.Counters.SendFailures);
        Assert.Equal(0, a.Counters.Sent);
    }

    [Fact]
    public async Task SetPeer_replaces_the_address_of_a_node_after_start()
    {
        (UdpTransport a, _) = await StartAsync(1, IPAddress.Loopback);
        (UdpTransport first, RecordingHandler atFirst) = await StartAsync(2, IPAddress.Loopback);
        (UdpTransport second, RecordingHandler atSecond) = await StartAsync(3, IPAddress.Loopback);
        a.SetPeer(2, first.LocalEndPoint);
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 1)));
        Assert.Equal(1UL, (await atFirst.NextAsync()).Frame.Sequence);

        a.SetPeer(2, second.LocalEndPoint);
        Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, 2)));

        Assert.Equal(2UL, (await atSecond.NextAsync()).Frame.Sequence);
        Assert.Equal(0, atFirst.Pending);
    }

    [Fact]
    public async Task SetPeer_refuses_an_address_of_the_other_family()
    {
        (UdpTransport a, _) = await StartAsync(1, IPAddress.Loopback);

        Assert.Throws<ArgumentException>(() => a.SetPeer(2, new IPEndPoint(IPAddress.IPv6Loopback, 9)));
    }

    [Fact]
    public async Task DisposeAsync_stops_the_receive_loop_and_later_sends_fail()
    {
        (UdpTransport a, _) = await StartAsync(1, IPAddress.Loopback);
        var b = new UdpTransport(TestFrames.Settings(2, 1), new IPEndPoint(IPAddress.Loopback, 0));
        await b.StartAsync(new RecordingHandler(), CancellationToken.None);
        b.SetPeer(1, a.LocalEndPoint);

        await b.DisposeAsync().AsTask().WaitAsync(RecordingHandler.Deadline);

        Assert.False(await b.SendAsync(TestFrames.Heartbeat(2, 1, 1, 1)));
        Assert.Equal(1, b.Counters.SendFailures);
    }

    private static IPEndPoint DeadPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    private static async Task ExchangeEveryTypeAsync(UdpTransport a, RecordingHandler atA, UdpTransport b, RecordingHandler atB)
    {
        Frame[] toB = TestFrames.EveryType(sender: 1, target: 2, pathId: 1, firstSequence: 1);
        Frame[] toA = TestFrames.EveryType(sender: 2, target: 1, pathId: 1, firstSequence: 100);
        for (int i = 0; i < toB.Length; i++)
        {
            Assert.True(await a.SendAsync(toB[i]));
            Assert.True(await b.SendAsync(toA[i]));
        }

        Assert.Equal(toB, await NextAsync(atB, toB.Length));
        Assert.Equal(toA, await NextAsync(atA, toA.Length));
        Assert.Equal(toB.Length, a.Counters.Sent);
        Assert.Equal(toB.Length, b.Counters.Received);
        Assert.Equal(0, b.Counters.Rejected);
    }

    private static async Task<Frame[]> NextAsync(RecordingHandler handler, int count)
    {
        var frames = new Frame[count];
        for (int i = 0; i < count; i++)
        {
            ReceivedFrame received = await handler.NextAsync();
            Assert.Equal(1, received.Receipt.PathId);
            frames[i] = received.Frame;
        }

        // Loopback may reorder datagrams in principle; the sequence says which is which.
        return [.. frames.OrderBy(f => f.Sequence)];
    }

    private async Task<(UdpTransport Transport, RecordingHandler Handler)> StartAsync(uint nodeId, IPAddress address, bool authenticated = false)
    {
        var transport = new UdpTransport(TestFrames.Settings(nodeId, 1, authenticated: authenticated), new IPEndPoint(address, 0));
        _owned.Add(transport);
        var handler = new RecordingHandler();
        await transport.StartAsync(handler, CancellationToken.None);
        return (transport, handler);
    }
}
