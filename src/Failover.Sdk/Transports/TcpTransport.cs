using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>
/// Frames over TCP, back to back on System.IO.Pipelines: a listener bound when the
/// transport is created, and one lazily opened outbound connection per peer.
/// </summary>
/// <remarks>
/// Frames from different inbound connections are read concurrently but handed to the
/// handler one at a time. The number of inbound connections is bounded
/// (<see cref="MaxInboundConnections"/>); extras are closed as soon as they are accepted.
/// </remarks>
internal sealed class TcpTransport : IFrameTransport
{
    public const int DefaultMaxInboundConnections = 256;

    private const int ListenBacklog = 128;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A pause after an unexpected accept error (out of descriptors), so the loop cannot spin a core.</summary>
    private static readonly TimeSpan AcceptErrorPause = TimeSpan.FromMilliseconds(100);

    private readonly TransportSettings _settings;
    private readonly Socket _listener;
    private readonly TransportAccounting _accounting;
    private readonly FrameDispatcher _dispatcher;
    private readonly TcpTransportLogs _logs;
    private readonly ConcurrentDictionary<uint, TcpPeerLink> _peers = new();
    private readonly Lock _peersGate = new();
    private readonly ConcurrentDictionary<TcpInboundConnection, Task> _inbound = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _inboundCount;
    private int _disposed;

    /// <summary>Listens on <paramref name="localEndPoint"/> (port 0 picks a free port).</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public TcpTransport(TransportSettings settings, IPEndPoint localEndPoint)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ArgumentOutOfRangeException.ThrowIfZero(settings.LocalNodeId, nameof(settings.LocalNodeId));
        _settings = settings;
        _accounting = new TransportAccounting(settings);
        _dispatcher = new FrameDispatcher(settings, _accounting, serializeHandler: true);
        _logs = new TcpTransportLogs(settings.Time);

        _listener = new Socket(localEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(localEndPoint);
            _listener.Listen(ListenBacklog);
            LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        }
        catch
        {
            _listener.Dispose();
            _stop.Dispose();
            throw;
        }
    }

    public ushort PathId => _settings.PathId;

    public TransportCounters Counters => _accounting.Counters;

    /// <summary>The listening address and port: the actual port when 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Inbound connections open at once; one more is closed on arrival. Set before starting.</summary>
    public int MaxInboundConnections { get; init; } = DefaultMaxInboundConnections;

    /// <summary>Sets or replaces where frames for <paramref name="nodeId"/> go. Thread-safe; before or after start.</summary>
    internal void SetPeer(uint nodeId, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        lock (_peersGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_peers.TryGetValue(nodeId, out TcpPeerLink? link))
            {
                link.Retarget(endPoint);
            }
            else
            {
                _peers[nodeId] = new TcpPeerLink(nodeId, endPoint, _settings);
            }
        }
    }

    public Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _dispatcher.Start(handler);
        CancellationToken stop = _stop.Token;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(stop), CancellationToken.None);
        TransportLog.Started(_settings.Logger, PathId, "TCP", LocalEndPoint);
        return Task.CompletedTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        frame = frame with { PathId = PathId };

        // An undefined frame type is the caller's bug: it throws here, before any connection is touched.
        _ = _settings.Writer.GetLength(frame.Type);

        if (Volatile.Read(ref _disposed) != 0)
        {
            _accounting.SendFailed();
            return false;
        }

        if (!_peers.TryGetValue(frame.Target, out TcpPeerLink? link))
        {
            _accounting.SendFailed();
            if (_logs.NoRoute.TryEnter(out long suppressed))
            {
                TransportLog.NoRoute(_settings.Logger, PathId, frame.Target, suppressed);
            }

            return false;
        }

        bool sent = await link.SendAsync(frame, cancellationToken).ConfigureAwait(false);
        if (sent)
        {
            _accounting.Sent(frame.Type);
        }
        else
        {
            _accounting.SendFailed();
        }

        return sent;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();

        TcpPeerLink[] links;
        lock (_peersGate)
        {
            links = [.. _peers.Values];
        }

        var stopping = new List<Task>(links.Length + 1) { _acceptLoop };
        foreach (TcpPeerLink link in links)
        {
            stopping.Add(link.DisposeAsync().AsTask());
        }

        bool stopped = await WaitAsync(Task.WhenAll(stopping)).ConfigureAwait(false);

        // After the accept loop has ended no connection can be added, so this sees them all.
        foreach (TcpInboundConnection connection in _inbound.Keys)
        {
            connection.Abort();
        }

        stopped &= await WaitAsync(Task.WhenAll(_inbound.Values)).ConfigureAwait(false);
        if (!stopped)
        {
            TransportLog.StopTimedOut(_settings.Logger, PathId, "TCP", StopTimeout);
            return;
        }

        _stop.Dispose();
        TransportLog.Stopped(_settings.Logger, PathId, "TCP");
    }

    private async Task<bool> WaitAsync(Task task)
    {
        try
        {
            await task.WaitAsync(StopTimeout, _settings.Time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task AcceptLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _accounting.ConnectionError();
                if (_logs.Accept.TryEnter(out long suppressed))
                {
                    TransportLog.TcpAcceptFailed(_settings.Logger, PathId, ex.SocketErrorCode, suppressed);
                }

                // A client that reset before we accepted is harmless; anything else may persist.
                if (ex.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted))
                {
                    await PauseAsync(stop).ConfigureAwait(false);
                }

                continue;
            }

            Admit(socket, stop);
        }
    }

    private async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(AcceptErrorPause, _settings.Time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the loop.
        }
    }

    private void Admit(Socket socket, CancellationToken stop)
    {
        if (Interlocked.Increment(ref _inboundCount) > MaxInboundConnections)
        {
            Interlocked.Decrement(ref _inboundCount);
            _accounting.ConnectionError();
            if (_logs.InboundLimit.TryEnter(out long suppressed))
            {
                TransportLog.TcpInboundLimitReached(_settings.Logger, PathId, MaxInboundConnections, suppressed);
            }

            socket.Dispose();
            return;
        }

        var connection = new TcpInboundConnection(socket, _settings, _dispatcher, _accounting, _logs);

        // Registered before it runs, so that a connection ending at once can remove itself.
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbound[connection] = run.Task;
        _ = RunConnectionAsync(connection, run, stop);
    }

    private async Task RunConnectionAsync(TcpInboundConnection connection, TaskCompletionSource run, CancellationToken stop)
    {
        try
        {
            await Task.Yield();
            await connection.RunAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            _inbound.TryRemove(connection, out _);
            Interlocked.Decrement(ref _inboundCount);
            run.TrySetResult();
        }
    }
}
