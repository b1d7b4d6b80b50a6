using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Transports;

/// <summary>
/// Frames over UDP, one frame per datagram, on one socket bound when the transport is
/// created.
/// </summary>
/// <remarks>
/// Both directions use the synchronous, <see cref="SocketAddress"/>-based socket calls:
/// they allocate nothing per datagram, and a dedicated receive thread blocked in
/// <c>ReceiveFrom</c> measured several times faster than the default async path. A send
/// never blocks for long (UDP only waits for socket buffer space), so
/// <see cref="SendAsync"/> completes synchronously.
/// </remarks>
internal sealed class UdpTransport : IFrameTransport
{
    /// <summary>Any UDP datagram fits, so an oversized one is read whole and rejected as such, never cut to look valid.</summary>
    private const int ReceiveBufferLength = 64 * 1024;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A pause after an unexpected receive error, so a socket that fails persistently cannot spin a core.</summary>
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(50);

    private readonly TransportSettings _settings;
    private readonly Socket _socket;
    private readonly TransportAccounting _accounting;
    private readonly FrameDispatcher _dispatcher;
    private readonly ConcurrentDictionary<uint, SocketAddress> _peers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loopExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LogThrottle _rejectLog;
    private readonly LogThrottle _receiveErrorLog;
    private readonly LogThrottle _sendErrorLog;
    private int _started;
    private int _disposed;

    /// <summary>Binds a UDP socket to <paramref name="localEndPoint"/> (port 0 picks a free port).</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public UdpTransport(TransportSettings settings, IPEndPoint localEndPoint)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ArgumentOutOfRangeException.ThrowIfZero(settings.LocalNodeId, nameof(settings.LocalNodeId));
        _settings = settings;
        _accounting = new TransportAccounting(settings);
        _dispatcher = new FrameDispatcher(settings, _accounting, serializeHandler: false);
        _rejectLog = new LogThrottle(settings.Time);
        _receiveErrorLog = new LogThrottle(settings.Time);
        _sendErrorLog = new LogThrottle(settings.Time);

        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(localEndPoint);
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        }
        catch
        {
            _socket.Dispose();
            _stop.Dispose();
            throw;
        }
    }

    public ushort PathId => _settings.PathId;

    public TransportCounters Counters => _accounting.Counters;

    /// <summary>The bound address and port: the actual port when 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Sets or replaces where frames for <paramref name="nodeId"/> go. Thread-safe; before or after start.</summary>
    /// <exception cref="ArgumentException">The address family does not match the local socket's.</exception>
    internal void SetPeer(uint nodeId, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.AddressFamily != _socket.AddressFamily)
        {
            if (_socket.AddressFamily == AddressFamily.InterNetworkV6 && _socket.DualMode && endPoint.AddressFamily == AddressFamily.InterNetwork)
            {
                endPoint = new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port);
            }
            else
            {
                throw new ArgumentException(
                    $"Node {nodeId}'s address {endPoint} is {endPoint.AddressFamily}, but path {PathId} is bound to {LocalEndPoint} ({_socket.AddressFamily}).",
                    nameof(endPoint));
            }
        }

        // Serialized once here so that every send reuses it without allocating.
        _peers[nodeId] = endPoint.Serialize();
    }

    public Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _dispatcher.Start(handler);
        Volatile.Write(ref _started, 1);
        var thread = new Thread(ReceiveLoop)
        {
            IsBackground = true,
            Name = $"Failover UDP path {PathId}",
        };
        thread.Start();
        TransportLog.Started(_settings.Logger, PathId, "UDP", LocalEndPoint);
        return Task.CompletedTask;
    }

    public ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        frame = frame with { PathId = PathId };
        Span<byte> bytes = stackalloc byte[FrameLayout.MaxFrameLength];
        int length = _settings.Writer.Write(frame, bytes);
        return new ValueTask<bool>(Send(bytes[..length], frame.Type, frame.Target));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);

        // Closing the socket is what wakes the thread blocked in ReceiveFrom.
        _socket.Dispose();
        if (Volatile.Read(ref _started) != 0)
        {
            try
            {
                await _loopExited.Task.WaitAsync(StopTimeout, _settings.Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                TransportLog.StopTimedOut(_settings.Logger, PathId, "UDP", StopTimeout);
                return;
            }
        }

        _stop.Dispose();
        TransportLog.Stopped(_settings.Logger, PathId, "UDP");
    }

    private bool Send(ReadOnlySpan<byte> bytes, FrameType type, uint target)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            _accounting.SendFailed();
            return false;
        }

        if (!_peers.TryGetValue(target, out SocketAddress? address))
        {
            _accounting.SendFailed();
            if (_sendErrorLog.TryEnter(out long suppressed))
            {
                TransportLog.NoRoute(_settings.Logger, PathId, target, suppressed);
            }

            return false;
        }

        try
        {
            _socket.SendTo(bytes, SocketFlags.None, address);
        }
        catch (SocketException ex)
        {
            _accounting.SendFailed();
            if (_sendErrorLog.TryEnter(out long suppressed))
            {
                TransportLog.UdpSendFailed(_settings.Logger, PathId, target, ex.SocketErrorCode, suppressed);
            }

            return false;
        }
        catch (ObjectDisposedException)
        {
            // Disposed while sending: the frame is simply not sent.
            _accounting.SendFailed();
            return false;
        }

        _accounting.Sent(type);
        return true;
    }

    private void ReceiveLoop()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            // Owned by this loop for its whole life: pinned once, reused for every datagram.
            byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength, pinned: true);
            var from = new SocketAddress(_socket.AddressFamily);
            while (!stop.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException ex) when (!stop.IsCancellationRequested)
                {
                    OnReceiveError(ex.SocketErrorCode, stop);
                    continue;
                }
                catch (SocketException)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }

                FrameReadResult result = _dispatcher.Dispatch(buffer.AsSpan(0, length), _settings.Time.GetTimestamp());
                if (result.Status == FrameReadStatus.Rejected)
                {
                    LogRejected(result.Reason, from);
                }
            }
        }
        finally
        {
            _loopExited.TrySetResult();
        }
    }

    private void OnReceiveError(SocketError error, CancellationToken stop)
    {
        _accounting.ConnectionError();
        bool log = _receiveErrorLog.TryEnter(out long suppressed);

        // ICMP port unreachable from a peer that is down surfaces here (Windows, or Linux
        // with IP_RECVERR): expected while a peer is gone, so it is quiet and immediate.
        if (error is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            if (log)
            {
                TransportLog.UdpPeerUnreachable(_settings.Logger, PathId, error, suppressed);
            }

            return;
        }

        if (log)
        {
            TransportLog.UdpReceiveFailed(_settings.Logger, PathId, error, suppressed);
        }

        try
        {
            // Only the wait is cancelled, never the delay, so stopping surfaces as one exception type.
            Task.Delay(ErrorPause, _settings.Time, CancellationToken.None).Wait(stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the loop.
        }
    }

    private void LogRejected(FrameRejectReason reason, SocketAddress from)
    {
        if (_settings.Logger.IsEnabled(LogLevel.Debug) && _rejectLog.TryEnter(out long suppressed))
        {
            // Formatting the sender allocates: done at most once per throttle interval.
            string remote = Describe(from);
            TransportLog.InputRejected(_settings.Logger, PathId, remote, reason, suppressed);
        }
    }

    /// <summary>The sender of a rejected datagram, for the log line.</summary>
    private string Describe(SocketAddress address)
    {
        try
        {
            return LocalEndPoint.Create(address).ToString() ?? "?";
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }
}
