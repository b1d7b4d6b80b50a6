using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>
/// The outbound half of TCP to one peer: one connection, opened on the first send,
/// written through a <see cref="PipeWriter"/>, one frame at a time.
/// </summary>
/// <remarks>
/// A failed connect or write drops the connection and the send returns false; the next
/// send connects again. Connect attempts after a failed attempt wait out a
/// <see cref="ReconnectBackoff"/>, so a dead peer is not hammered. A write that stays
/// blocked (a peer that stopped reading) is abandoned after <see cref="WriteTimeout"/>,
/// and a connect after <see cref="ConnectTimeout"/>: that long, at most, a send can wait.
/// Connections carry frames one way only: the peer sends its own frames on a connection
/// it opens to us.
/// </remarks>
internal sealed class TcpPeerLink : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly uint _nodeId;
    private readonly TransportSettings _settings;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReconnectBackoff _backoff;
    private readonly LogThrottle _connectLog;
    private readonly LogThrottle _writeLog;
    private volatile IPEndPoint _endPoint;
    private volatile Socket? _socket;
    private volatile bool _closed;
    private PipeWriter? _writer;
    private IPEndPoint? _connectedTo;
    private IPEndPoint? _lastAttempted;
    private bool _proven;

    // Reused across writes (disarmed after each) so that bounding a write allocates nothing.
    private CancellationTokenSource _writeDeadline;

    public TcpPeerLink(uint nodeId, IPEndPoint endPoint, TransportSettings settings)
    {
        _nodeId = nodeId;
        _endPoint = endPoint;
        _settings = settings;
        _backoff = new ReconnectBackoff(settings.Time);
        _connectLog = new LogThrottle(settings.Time);
        _writeLog = new LogThrottle(settings.Time);
        _writeDeadline = NewDeadline();
    }

    /// <summary>Points the link at a new address; the next send drops the old connection.</summary>
    public void Retarget(IPEndPoint endPoint) => _endPoint = endPoint;

    /// <summary>Sends one frame; false when it could not be handed to a connection.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the frame was written.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(Frame frame, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closed)
            {
                return false;
            }

            PipeWriter? writer = await ConnectIfNeededAsync(cancellationToken).ConfigureAwait(false);
            return writer is not null && await WriteAsync(writer, frame).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Aborts any write in flight and closes the connection; later sends return false.</summary>
    /// <remarks>
    /// The gate is deliberately not disposed: a send waiting on it must get its false,
    /// and a disposed <see cref="SemaphoreSlim"/> would leave such a waiter pending forever.
    /// It holds no wait handle unless one is asked for, so nothing leaks.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        _closed = true;

        // Disposing the socket first makes a blocked write fail now, so the gate frees up.
        _socket?.Dispose();
        try
        {
            await _gate.WaitAsync().WaitAsync(CloseTimeout, _settings.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return;
        }

        try
        {
            await DropAsync().ConfigureAwait(false);
            _writeDeadline.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<PipeWriter?> ConnectIfNeededAsync(CancellationToken cancellationToken)
    {
        IPEndPoint target = _endPoint;
        if (_writer is not null)
        {
            if (target.Equals(_connectedTo))
            {
                return _writer;
            }

            await DropAsync().ConfigureAwait(false);
        }

        if (!target.Equals(_lastAttempted))
        {
            // Failures at an old address say nothing about the new one.
            _backoff.Reset();
            _lastAttempted = target;
        }

        long now = _settings.Time.GetTimestamp();
        if (!_backoff.CanAttempt(now))
        {
            if (_connectLog.TryEnter(out long deferred))
            {
                TransportLog.TcpConnectDeferred(_settings.Logger, _settings.PathId, _nodeId, deferred);
            }

            return null;
        }

        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(ConnectTimeout, _settings.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await socket.ConnectAsync(target, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            _backoff.OnFailure(now);
            if (_connectLog.TryEnter(out long suppressed))
            {
                string error = ex is SocketException se ? se.SocketErrorCode.ToString() : "timed out";
                TransportLog.TcpConnectFailed(_settings.Logger, _settings.PathId, _nodeId, target, error, _backoff.Delay, suppressed);
            }

            return null;
        }

        _socket = socket;
        if (_closed)
        {
            // Disposed while connecting: DisposeAsync may have missed this socket.
            socket.Dispose();
            _socket = null;
            return null;
        }

        _writer = PipeWriter.Create(new NetworkStream(socket, ownsSocket: true), new StreamPipeWriterOptions(leaveOpen: false));
        _connectedTo = target;
        _proven = false;
        TransportLog.TcpConnected(_settings.Logger, _settings.PathId, _nodeId, target);
        return _writer;
    }

    private async ValueTask<bool> WriteAsync(PipeWriter writer, Frame frame)
    {
        Exception? failure = null;
        try
        {
            _settings.Writer.Write(frame, writer);
            _writeDeadline.CancelAfter(WriteTimeout);
            FlushResult flushed = await writer.FlushAsync(_writeDeadline.Token).ConfigureAwait(false);
            if (!flushed.IsCompleted && !flushed.IsCanceled)
            {
                _proven = true;
                _backoff.Reset();
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            failure = ex;
        }
        finally
        {
            // Disarmed rather than TryReset: TryReset refuses a source whose timer came from
            // a TimeProvider, and a new source per frame would allocate on the heartbeat path.
            _writeDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
            if (_writeDeadline.IsCancellationRequested)
            {
                _writeDeadline.Dispose();
                _writeDeadline = NewDeadline();
            }
        }

        // A connection that never carried a frame counts as a failed attempt (a peer that
        // accepts and drops us must not be reconnected to at the send rate); one that did
        // was healthy until now, and the next send reconnects at once.
        if (!_proven)
        {
            _backoff.OnFailure(_settings.Time.GetTimestamp());
        }

        await DropAsync().ConfigureAwait(false);
        if (_writeLog.TryEnter(out long suppressed))
        {
            string error = failure switch
            {
                null => "the connection was completed",
                SocketException se => se.SocketErrorCode.ToString(),
                IOException { InnerException: SocketException se } => se.SocketErrorCode.ToString(),
                OperationCanceledException => "timed out",
                _ => failure.GetType().Name,
            };
            TransportLog.TcpWriteFailed(_settings.Logger, _settings.PathId, _nodeId, error, suppressed);
        }

        return false;
    }

    private async ValueTask DropAsync()
    {
        PipeWriter? writer = _writer;
        _writer = null;
        _connectedTo = null;
        _socket?.Dispose();
        _socket = null;
        if (writer is not null)
        {
            try
            {
                await writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // The socket is already closed: completing only returns the pipe's buffers.
            }
        }
    }

    private CancellationTokenSource NewDeadline() => new(Timeout.InfiniteTimeSpan, _settings.Time);
}
