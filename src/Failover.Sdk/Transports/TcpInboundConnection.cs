using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>
/// One accepted TCP connection: reads frames back to back through a
/// <see cref="PipeReader"/> until the peer closes it, the transport stops, or framing is
/// lost.
/// </summary>
/// <remarks>
/// The frame reader checks the length field against the maximum before asking for the
/// rest, so a connection never makes the pipe hold more than one frame beyond what one
/// socket read brought in. A rejection of a delimited frame (bad tag, replay) skips that
/// frame and goes on; a header-level rejection means the byte stream can no longer be
/// split into frames, so the connection is closed.
/// </remarks>
internal sealed class TcpInboundConnection
{
    private readonly Socket _socket;
    private readonly string _remote;
    private readonly TransportSettings _settings;
    private readonly FrameDispatcher _dispatcher;
    private readonly TransportAccounting _accounting;
    private readonly TcpTransportLogs _logs;

    public TcpInboundConnection(Socket socket, TransportSettings settings, FrameDispatcher dispatcher, TransportAccounting accounting, TcpTransportLogs logs)
    {
        _socket = socket;
        _settings = settings;
        _dispatcher = dispatcher;
        _accounting = accounting;
        _logs = logs;
        try
        {
            _remote = socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (SocketException)
        {
            _remote = "?";
        }
        catch (ObjectDisposedException)
        {
            _remote = "?";
        }
    }

    /// <summary>Closes the socket, which ends a read in progress.</summary>
    public void Abort() => _socket.Dispose();

    /// <summary>Reads until the connection ends; never throws.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        TransportLog.TcpAccepted(_settings.Logger, _settings.PathId, _remote);
        PipeReader reader = PipeReader.Create(new NetworkStream(_socket, ownsSocket: true), new StreamPipeReaderOptions(leaveOpen: false));
        long pending = 0;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync(stop).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                if (!Consume(ref buffer, _settings.Time.GetTimestamp()))
                {
                    return;
                }

                if (read.IsCompleted || read.IsCanceled)
                {
                    if (!buffer.IsEmpty)
                    {
                        _dispatcher.Reject(FrameRejectReason.Truncated);
                        TransportLog.TcpTruncated(_settings.Logger, _settings.PathId, _remote, buffer.Length);
                    }

                    return;
                }

                pending = buffer.Length;

                // Everything left is examined: wake up only when more bytes arrive.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The transport is stopping.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!stop.IsCancellationRequested)
            {
                _accounting.ConnectionError();
                if (pending > 0)
                {
                    _dispatcher.Reject(FrameRejectReason.Truncated);
                }

                if (_logs.Read.TryEnter(out long suppressed))
                {
                    string error = ex switch
                    {
                        SocketException se => se.SocketErrorCode.ToString(),
                        IOException { InnerException: SocketException se } => se.SocketErrorCode.ToString(),
                        _ => ex.GetType().Name,
                    };
                    TransportLog.TcpReadFailed(_settings.Logger, _settings.PathId, _remote, error, suppressed);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Hands every whole frame in <paramref name="buffer"/> on; false when framing is lost.</summary>
    private bool Consume(ref ReadOnlySequence<byte> buffer, long receivedAt)
    {
        // Bounded: each pass consumes at least one whole frame or leaves.
        while (true)
        {
            FrameReadResult result = _dispatcher.Dispatch(buffer, receivedAt);
            if (result.Status == FrameReadStatus.NeedMoreData)
            {
                return true;
            }

            if (result.BytesConsumed == 0)
            {
                if (_logs.FramingLost.TryEnter(out long suppressed))
                {
                    TransportLog.TcpFramingLost(_settings.Logger, _settings.PathId, _remote, result.Reason, suppressed);
                }

                return false;
            }

            if (result.Status == FrameReadStatus.Rejected && _logs.Rejected.TryEnter(out long skipped))
            {
                TransportLog.InputRejected(_settings.Logger, _settings.PathId, _remote, result.Reason, skipped);
            }

            buffer = buffer.Slice(result.BytesConsumed);
        }
    }
}
