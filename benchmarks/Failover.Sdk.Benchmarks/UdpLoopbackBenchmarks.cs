using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Heartbeats over real UDP sockets on 127.0.0.1: the Failover.Sdk transport beside a bare
/// synchronous <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/> /
/// <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/> ping-pong of
/// the same 46-byte frame, in one run.
/// </summary>
/// <remarks>
/// Round trip: the client sends, the far side echoes from its receive loop, the client
/// waits for the echo. One way: the client keeps at most <see cref="Window"/> frames in
/// flight (so the kernel never drops for lack of buffer) and the benchmark reports the
/// time per delivered frame; frames per second = 1 / that.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes.
public class UdpLoopbackBenchmarks
#pragma warning restore CA1001
{
    private const int Frames = 2_000;
    private const int Window = 64;

    private readonly byte[] _frame = new byte[FrameReaderOptions.SmallestFrameLength];
    private readonly byte[] _scratch = new byte[256];

    private Socket _bareClient = null!;
    private Socket _bareServer = null!;
    private SocketAddress _bareServerAddress = null!;
    private SocketAddress _bareFrom = null!;
    private Thread _bareEcho = null!;
    private volatile bool _bareEchoes;
    private long _bareReceived;

    private UdpTransport _client = null!;
    private UdpTransport _server = null!;
    private Counter _clientHandler = null!;
    private Echo _serverHandler = null!;
    private ulong _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new FrameWriter();
        writer.Write(Heartbeat(1, 2, 1), _frame);

        _bareServer = Bound();
        _bareClient = Bound();
        _bareServerAddress = _bareServer.LocalEndPoint!.Serialize();
        _bareFrom = new IPEndPoint(IPAddress.Any, 0).Serialize();
        _bareEcho = new Thread(BareServerLoop) { IsBackground = true, Name = "bare echo" };
        _bareEcho.Start();

        var noReplay = new FrameReaderOptions { ReplayWindowCapacity = 0 };
        _client = new UdpTransport(new TransportSettings { LocalNodeId = 1, PathId = 1, ReaderOptions = noReplay }, new IPEndPoint(IPAddress.Loopback, 0));
        _server = new UdpTransport(new TransportSettings { LocalNodeId = 2, PathId = 1, ReaderOptions = noReplay }, new IPEndPoint(IPAddress.Loopback, 0));
        _client.SetPeer(2, _server.LocalEndPoint);
        _server.SetPeer(1, _client.LocalEndPoint);
        _clientHandler = new Counter();
        _serverHandler = new Echo(_server);
        _client.StartAsync(_clientHandler, CancellationToken.None).GetAwaiter().GetResult();
        _server.StartAsync(_serverHandler, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bareClient.Dispose();
        _bareServer.Dispose();
        _bareEcho.Join(TimeSpan.FromSeconds(5));
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [BenchmarkCategory("RoundTrip"), Benchmark(Baseline = true, Description = "bare socket ping-pong")]
    public int BareRoundTrip()
    {
        _bareEchoes = true;
        _bareClient.SendTo(_frame, SocketFlags.None, _bareServerAddress);
        return _bareClient.ReceiveFrom(_scratch, SocketFlags.None, _bareFrom);
    }

    [BenchmarkCategory("RoundTrip"), Benchmark(Description = "UdpTransport round trip")]
    public long TransportRoundTrip()
    {
        _serverHandler.Echoes = true;
        long before = _clientHandler.Count;
        Sent(_client.SendAsync(Heartbeat(1, 2, ++_sequence)));
        return _clientHandler.WaitBeyond(before);
    }

    [BenchmarkCategory("OneWay"), Benchmark(Baseline = true, OperationsPerInvoke = Frames, Description = "bare socket, one way")]
    public long BareOneWay()
    {
        _bareEchoes = false;
        long start = Volatile.Read(ref _bareReceived);
        for (int i = 0; i < Frames; i++)
        {
            WaitUntilAtLeast(ref _bareReceived, start + i - Window + 1);
            _bareClient.SendTo(_frame, SocketFlags.None, _bareServerAddress);
        }

        return WaitUntilAtLeast(ref _bareReceived, start + Frames);
    }

    [BenchmarkCategory("OneWay"), Benchmark(OperationsPerInvoke = Frames, Description = "UdpTransport, one way")]
    public long TransportOneWay()
    {
        _serverHandler.Echoes = false;
        long start = _serverHandler.Count;
        for (int i = 0; i < Frames; i++)
        {
            WaitUntilAtLeast(ref _serverHandler.Received, start + i - Window + 1);
            Sent(_client.SendAsync(Heartbeat(1, 2, ++_sequence)));
        }

        return WaitUntilAtLeast(ref _serverHandler.Received, start + Frames);
    }

    private void BareServerLoop()
    {
        byte[] buffer = new byte[256];
        SocketAddress from = new IPEndPoint(IPAddress.Any, 0).Serialize();
        try
        {
            while (true)
            {
                int length = _bareServer.ReceiveFrom(buffer, SocketFlags.None, from);
                Interlocked.Increment(ref _bareReceived);
                if (_bareEchoes)
                {
                    _bareServer.SendTo(buffer.AsSpan(0, length), SocketFlags.None, from);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Closed by Cleanup.
        }
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static Frame Heartbeat(uint sender, uint target, ulong sequence) => new()
    {
        Type = FrameType.Heartbeat,
        Sender = sender,
        Target = target,
        PathId = 1,
        Incarnation = 7,
        Sequence = sequence,
        Timestamp = 1_795_000_000_000_000,
        FencingEpoch = 3,
    };

    /// <summary>UDP sends complete synchronously; anything else would void the comparison.</summary>
    private static void Sent(ValueTask<bool> send)
    {
        if (!send.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("A UDP send did not complete synchronously.");
        }

#pragma warning disable CA2012 // Completed, checked just above.
        if (!send.Result)
#pragma warning restore CA2012
        {
            throw new InvalidOperationException("A UDP send failed on loopback.");
        }
    }

    /// <summary>Spins (bounded: a lost datagram must fail the run, not hang it) until <paramref name="counter"/> reaches <paramref name="target"/>.</summary>
    private static long WaitUntilAtLeast(ref long counter, long target)
    {
        var spin = default(SpinWait);
        for (int i = 0; i < 100_000_000; i++)
        {
            long value = Volatile.Read(ref counter);
            if (value >= target)
            {
                return value;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        throw new TimeoutException("A frame was lost on loopback; the run is void.");
    }

    private sealed class Counter : IFrameHandler
    {
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public void OnFrame(in Frame frame, in FrameReceipt receipt) => Interlocked.Increment(ref _count);

        public long WaitBeyond(long before) => WaitUntilAtLeast(ref _count, before + 1);
    }

    private sealed class Echo(UdpTransport transport) : IFrameHandler
    {
        public long Received;

        public volatile bool Echoes;

        public long Count => Volatile.Read(ref Received);

        public void OnFrame(in Frame frame, in FrameReceipt receipt)
        {
            Interlocked.Increment(ref Received);
            if (Echoes)
            {
                Sent(transport.SendAsync(frame with { Sender = frame.Target, Target = frame.Sender }));
            }
        }
    }
}
