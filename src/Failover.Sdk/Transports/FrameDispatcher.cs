using System.Buffers;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Transports;

/// <summary>
/// The receive side every transport shares: decodes with the transport's one
/// <see cref="FrameReader"/> (which owns its replay window), counts the outcome and hands
/// accepted frames to the handler. One frame per call, so the caller decides what a
/// rejection does to its datagram or stream.
/// </summary>
/// <remarks>
/// A handler that throws is logged and the loop goes on: a bug above the transport must
/// not silence a path, which would look exactly like a dead peer.
/// </remarks>
internal sealed class FrameDispatcher
{
    private readonly FrameReader _reader;
    private readonly TransportAccounting _accounting;
    private readonly ILogger _logger;
    private readonly ushort _pathId;
    private readonly LogThrottle _handlerLog;
    private readonly Lock? _serial;
    private IFrameHandler? _handler;

    /// <param name="settings">The transport's settings; the reader is made from its reader options.</param>
    /// <param name="accounting">Where outcomes are counted.</param>
    /// <param name="serializeHandler">
    /// Whether to call the handler under a lock, for transports that read on several
    /// loops at once (TCP connections), so the handler sees one frame at a time as the
    /// <see cref="IFrameHandler"/> contract promises.
    /// </param>
    public FrameDispatcher(TransportSettings settings, TransportAccounting accounting, bool serializeHandler)
    {
        _reader = new FrameReader(settings.ReaderOptions);
        _accounting = accounting;
        _logger = settings.Logger;
        _pathId = settings.PathId;
        _handlerLog = new LogThrottle(settings.Time);
        _serial = serializeHandler ? new Lock() : null;
    }

    public bool IsStarted => Volatile.Read(ref _handler) is not null;

    /// <exception cref="InvalidOperationException">A handler is already set: a transport starts once.</exception>
    public void Start(IFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.CompareExchange(ref _handler, handler, null) is not null)
        {
            throw new InvalidOperationException("The transport is already started; StartAsync is called once.");
        }
    }

    /// <summary>Reads a datagram holding exactly one frame.</summary>
    public FrameReadResult Dispatch(ReadOnlySpan<byte> datagram, long receivedAt)
    {
        FrameReadResult result = _reader.Read(datagram, out Frame frame);
        Complete(result, frame, receivedAt);
        return result;
    }

    /// <summary>Reads the first frame of a stream buffer; see <see cref="FrameReader.Read(in ReadOnlySequence{byte}, out Frame)"/>.</summary>
    public FrameReadResult Dispatch(in ReadOnlySequence<byte> buffer, long receivedAt)
    {
        FrameReadResult result = _reader.Read(buffer, out Frame frame);
        Complete(result, frame, receivedAt);
        return result;
    }

    /// <summary>Counts a rejection the transport found itself (a stream that ended mid-frame).</summary>
    public void Reject(FrameRejectReason reason) => _accounting.Rejected(reason);

    private void Complete(FrameReadResult result, in Frame frame, long receivedAt)
    {
        switch (result.Status)
        {
            case FrameReadStatus.Frame:
                Deliver(frame, new FrameReceipt(_pathId, result.IsAuthenticated, receivedAt));
                break;
            case FrameReadStatus.Rejected:
                _accounting.Rejected(result.Reason);
                break;
        }
    }

    private void Deliver(in Frame frame, in FrameReceipt receipt)
    {
        IFrameHandler? handler = Volatile.Read(ref _handler);
        if (handler is null)
        {
            return;
        }

        _accounting.Received(frame.Type);
        try
        {
            if (_serial is null)
            {
                handler.OnFrame(frame, receipt);
            }
            else
            {
                lock (_serial)
                {
                    handler.OnFrame(frame, receipt);
                }
            }
        }
#pragma warning disable CA1031 // Whatever the handler throws, the receive loop must survive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (_handlerLog.TryEnter(out long suppressed))
            {
                TransportLog.HandlerFailed(_logger, ex, _pathId, frame.Type, frame.Sender, suppressed);
            }
        }
    }
}
