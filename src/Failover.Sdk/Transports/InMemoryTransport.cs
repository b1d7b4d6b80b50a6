using Failover.Sdk.Wire;

namespace Failover.Sdk.Transports;

/// <summary>
/// A transport on an <see cref="InMemoryNetwork"/>. It registers for its node and path
/// when created and unregisters when disposed; frames that reach it before it is started
/// are lost, like datagrams to a socket nobody reads yet.
/// </summary>
internal sealed class InMemoryTransport : IFrameTransport
{
    private readonly InMemoryNetwork _network;
    private readonly TransportSettings _settings;
    private readonly TransportAccounting _accounting;
    private readonly FrameDispatcher _dispatcher;
    private readonly LogThrottle _rejectLog;
    private readonly LogThrottle _routeLog;
    private int _disposed;

    /// <exception cref="InvalidOperationException">The node already has a transport on this path.</exception>
    public InMemoryTransport(InMemoryNetwork network, TransportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfZero(settings.LocalNodeId, nameof(settings.LocalNodeId));
        _network = network;
        _settings = settings;
        _accounting = new TransportAccounting(settings);

        // Unsynchronised: delivery runs on the sender's thread, and a handler that replies
        // synchronously would deadlock two nodes that probe each other under a lock.
        _dispatcher = new FrameDispatcher(settings, _accounting, serializeHandler: false);
        _rejectLog = new LogThrottle(settings.Time);
        _routeLog = new LogThrottle(settings.Time);
        network.Register(settings.LocalNodeId, settings.PathId, this);
    }

    public ushort PathId => _settings.PathId;

    public TransportCounters Counters => _accounting.Counters;

    public Task StartAsync(IFrameHandler handler, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _dispatcher.Start(handler);
        TransportLog.InMemoryStarted(_settings.Logger, PathId, _settings.LocalNodeId);
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

        if (Volatile.Read(ref _disposed) != 0)
        {
            _accounting.SendFailed();
            return new ValueTask<bool>(false);
        }

        switch (_network.Route(_settings.LocalNodeId, frame.Target, PathId, out InMemoryTransport? receiver))
        {
            case InMemoryRoute.NoRoute:
                _accounting.SendFailed();
                if (_routeLog.TryEnter(out long suppressed))
                {
                    TransportLog.NoRoute(_settings.Logger, PathId, frame.Target, suppressed);
                }

                return new ValueTask<bool>(false);
            case InMemoryRoute.Deliver:
                _accounting.Sent(frame.Type);
                receiver!.Receive(bytes[..length], _settings.LocalNodeId);
                return new ValueTask<bool>(true);
            case InMemoryRoute.Carry:
                _accounting.Sent(frame.Type);
                _network.Carry(_settings.LocalNodeId, frame.Target, PathId, bytes[..length]);
                return new ValueTask<bool>(true);
            default:
                _accounting.Sent(frame.Type);
                return new ValueTask<bool>(true);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _network.Unregister(_settings.LocalNodeId, PathId, this);
            TransportLog.Stopped(_settings.Logger, PathId, "in-memory");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Called by the network, on the sender's or the carrier's thread, with the encoded frame.</summary>
    /// <returns>Whether the transport was running to take it.</returns>
    internal bool Receive(ReadOnlySpan<byte> bytes, uint fromNode)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_dispatcher.IsStarted)
        {
            return false;
        }

        FrameReadResult result = _dispatcher.Dispatch(bytes, _settings.Time.GetTimestamp());
        if (result.Status == FrameReadStatus.Rejected && _rejectLog.TryEnter(out long suppressed))
        {
            TransportLog.InMemoryInputRejected(_settings.Logger, PathId, fromNode, result.Reason, suppressed);
        }

        return true;
    }
}
