using System.Diagnostics;
using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;
using Failover.Sdk.Telemetry;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Agent;

/// <summary>
/// The hosted agent of one node: it heartbeats every configured peer on every path and
/// keeps each peer's liveness, raising <see cref="PeerStatusChanged"/> when a peer goes
/// down, comes up, or comes back as a new incarnation, and <see cref="PathStatusChanged"/>
/// when one path to a peer is suspected or trusted again.
/// </summary>
/// <remarks>
/// Registered by <c>AddFailover()</c>; resolve it to read <see cref="GetPeers"/> or to
/// subscribe to changes. Events are raised on transport or timer threads: keep handlers short.
/// </remarks>
public sealed class FailoverAgent : IHostedService, IFrameHandler, IDisposable
{
    private readonly FailoverOptions _options;
    private readonly TransportSet _transports;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FailoverMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, PeerLiveness> _peers = [];
    private readonly FailureDetectorSettings _detector;
    private readonly Lock _reportGate = new();
    private readonly Queue<LivenessChange> _unreported = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private long _started;
    private long _sequence;
    private long _knownFencingToken;
    private IFrameHandler? _workloadFrames;

    internal FailoverAgent(
        IOptions<FailoverOptions> options,
        TransportSet transports,
        TimeProvider time,
        ILogger<FailoverAgent> logger,
        FailoverMetrics metrics)
    {
        _options = options.Value;
        _transports = transports;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        NodeId = _options.NodeId;
        Incarnation = _options.Incarnation ?? (uint)Math.Clamp(time.GetUtcNow().ToUnixTimeSeconds(), 1, uint.MaxValue);
        _detector = FailureDetectorSettings.From(_options, time.TimestampFrequency);

        // Sequences start at the clock in microseconds, so that a restart within the same
        // second (same default incarnation) still moves forward in every replay window. One
        // counter for every frame this agent sends: receivers keep one window per path.
        _sequence = Math.Max(0, UnixMicroseconds());
    }

    /// <summary>Raised when a peer goes up or down, or restarts.</summary>
    public event EventHandler<PeerStatusChangedEventArgs>? PeerStatusChanged;

    /// <summary>Raised when one path to a peer is suspected, or trusted again; the peer may stay up meanwhile.</summary>
    /// <remarks>
    /// Raised in order with <see cref="PeerStatusChanged"/>: the suspicions of a peer's paths
    /// before its Down, and the path that brings a peer up before its Up.
    /// </remarks>
    public event EventHandler<PathStatusChangedEventArgs>? PathStatusChanged;

    /// <summary>This node's id.</summary>
    public uint NodeId { get; }

    /// <summary>This run's incarnation, carried in every frame.</summary>
    public uint Incarnation { get; }

    /// <summary>A snapshot of every watched peer.</summary>
    public IReadOnlyList<PeerStatus> GetPeers()
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            var result = new List<PeerStatus>(_peers.Count);
            foreach (PeerLiveness peer in _peers.Values.OrderBy(p => p.NodeId))
            {
                var paths = new PathStatus[peer.Paths.Length];
                for (int i = 0; i < paths.Length; i++)
                {
                    paths[i] = new PathStatus(peer.Paths[i], peer.PathStateAt(i), Duration(now - peer.PathLastHeardAt(i)));
                }

                result.Add(new PeerStatus(peer.NodeId, peer.State, peer.Incarnation, Duration(now - peer.LastHeard), paths));
            }

            return result;
        }
    }

    /// <summary>Whether <paramref name="nodeId"/> is a configured peer that is up now.</summary>
    internal bool IsPeerUp(uint nodeId)
    {
        lock (_gate)
        {
            return _peers.TryGetValue(nodeId, out PeerLiveness? peer) && peer.State == PeerState.Up;
        }
    }

    /// <summary>Whether every path to <paramref name="nodeId"/> has gone silent: the peer is down, and was heard of before or never at all.</summary>
    internal bool IsPeerDown(uint nodeId)
    {
        lock (_gate)
        {
            return _peers.TryGetValue(nodeId, out PeerLiveness? peer) && peer.State == PeerState.Down;
        }
    }

    /// <summary>Receives every frame for this node that is not a heartbeat: probes, workload heartbeats, swap commands.</summary>
    internal void SetWorkloadFrameHandler(IFrameHandler handler) =>
        Interlocked.CompareExchange(ref _workloadFrames, handler, null);

    /// <summary>
    /// Sends <paramref name="frame"/> to <see cref="Frame.Target"/> on every path that reaches it
    /// (so one failed NIC does not look like a failed workload), stamped with this node's
    /// sender, incarnation, clock and a fresh sequence number. Returns whether any path took it.
    /// </summary>
    internal async ValueTask<bool> SendToPeerAsync(Frame frame, CancellationToken cancellationToken)
    {
        bool sent = false;
        foreach ((IFrameTransport transport, uint[] peers) in _transports.Routes)
        {
            if (Array.IndexOf(peers, frame.Target) < 0)
            {
                continue;
            }

            Frame stamped = frame with
            {
                Sender = NodeId,
                PathId = transport.PathId,
                Incarnation = Incarnation,
                Sequence = NextSequence(),
                Timestamp = UnixMicroseconds(),
            };
            sent |= await transport.SendAsync(stamped, cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    /// <summary>The newest fencing token this node has seen; carried in every heartbeat (<see cref="Frame.FencingEpoch"/>).</summary>
    internal long KnownFencingToken => Volatile.Read(ref _knownFencingToken);

    /// <summary>Records a fencing token seen in the coordination store, keeping the largest.</summary>
    internal void ObserveFencingToken(long token)
    {
        long known = Volatile.Read(ref _knownFencingToken);
        // Bounded: each lost race means another thread stored a larger token.
        while (token > known)
        {
            long seen = Interlocked.CompareExchange(ref _knownFencingToken, token, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    private ulong NextSequence() => (ulong)Interlocked.Increment(ref _sequence);

    /// <summary>Starts the transports, then the heartbeat and watch loops.</summary>
    /// <remarks>
    /// Not a <c>BackgroundService</c>: since .NET 10 that starts its work with
    /// <c>Task.Run</c>, on another thread, so a simulator driving virtual time could fire a
    /// timer before the loop awaiting it exists. Here both loops run on the caller's thread
    /// up to their first await, and so are waiting on their timers when this returns.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (IGrouping<uint, FailoverPeerOptions> peer in _options.Peers.GroupBy(p => p.NodeId))
            {
                ushort[] paths = [.. peer.Select(p => p.PathId)];
                _peers[peer.Key] = new PeerLiveness(peer.Key, paths, _detector, _started);
            }
        }

        foreach (IFrameTransport transport in _transports.All)
        {
            await transport.StartAsync(this, cancellationToken).ConfigureAwait(false);
        }

        AgentLog.Started(_logger, NodeId, Incarnation, _options.Transport, _transports.All.Count, _peers.Count, _options.HeartbeatInterval.TotalMilliseconds, _options.MissedHeartbeats);
        if (_options.Detector != FailoverDetectorKind.Fixed || _options.RiseCount != 1)
        {
            // Started's "suspicion after k missed" does not describe these settings on its own.
            double Milliseconds(long ticks) => ticks * 1000.0 / _time.TimestampFrequency;
            AgentLog.DetectorConfigured(_logger, _options.Detector, _options.PhiThreshold, Milliseconds(_detector.PhiMinStdDeviation), Milliseconds(_detector.AcceptableHeartbeatPause), _options.RiseCount);
        }

        _running = RunAsync(_stopping.Token);
    }

    /// <summary>Stops the loops (waiting at most until <paramref name="cancellationToken"/> fires), then the transports.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _transports.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(HeartbeatLoopAsync(stoppingToken), WatchLoopAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // Nothing above this loop could handle it; peers will see the silence.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AgentLog.LoopFailed(_logger, NodeId, ex);
        }
    }

    void IFrameHandler.OnFrame(in Frame frame, in FrameReceipt receipt)
    {
        if (frame.Target != NodeId)
        {
            return;
        }

        if (frame.Type != FrameType.Heartbeat)
        {
            Volatile.Read(ref _workloadFrames)?.OnFrame(frame, receipt);
            return;
        }

        bool changed;
        lock (_gate)
        {
            changed = _peers.TryGetValue(frame.Sender, out PeerLiveness? peer)
                && peer.OnHeartbeat(receipt.PathId, frame.Incarnation, receipt.ReceivedAt, _unreported, receipt.IsAuthenticated);
        }

        if (changed)
        {
            ReportInOrder();
        }
    }

    /// <summary>
    /// Reports queued transitions in the order they were decided. Deciding happens under
    /// <c>_gate</c> on receive threads and the watch loop alike; reporting outside it, one
    /// reporter at a time, so a Down decided just before an Up can never be raised after it.
    /// </summary>
    private void ReportInOrder()
    {
        lock (_reportGate)
        {
            while (true)
            {
                LivenessChange change;
                lock (_gate)
                {
                    if (!_unreported.TryDequeue(out change))
                    {
                        return;
                    }
                }

                if (change.IsPath)
                {
                    Report(change.Path);
                }
                else
                {
                    Report(change.Peer);
                }
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        do
        {
            // One number per round, sent to every peer: each receiver sees it once per path.
            ulong sequence = NextSequence();
            long timestamp = UnixMicroseconds();
            ulong epoch = (ulong)KnownFencingToken;
            // Every send is started before any is awaited: one peer whose TCP connect hangs
            // must not delay the heartbeats of all the others past their detection time.
            // UDP and in-memory sends complete at once and allocate nothing here.
            List<(Task<bool> Send, uint Peer, ushort Path)>? pending = null;
            foreach ((IFrameTransport transport, uint[] peers) in _transports.Routes)
            {
                foreach (uint peer in peers)
                {
                    var frame = new Frame
                    {
                        Type = FrameType.Heartbeat,
                        Sender = NodeId,
                        Target = peer,
                        PathId = transport.PathId,
                        Incarnation = Incarnation,
                        Sequence = sequence,
                        Timestamp = timestamp,
                        FencingEpoch = epoch,
                    };
                    ValueTask<bool> send = transport.SendAsync(frame, stoppingToken);
                    if (!send.IsCompletedSuccessfully)
                    {
                        (pending ??= []).Add((send.AsTask(), peer, transport.PathId));
                    }
                    else if (!send.Result)
                    {
                        AgentLog.HeartbeatNotSent(_logger, peer, transport.PathId);
                    }
                }
            }

            foreach ((Task<bool> send, uint peer, ushort path) in pending ?? [])
            {
                if (!await send.ConfigureAwait(false))
                {
                    AgentLog.HeartbeatNotSent(_logger, peer, path);
                }
            }
        }
        while (await WaitForTickAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
        long maxWait = (long)(_options.HeartbeatInterval.TotalSeconds * _time.TimestampFrequency);
        while (!stoppingToken.IsCancellationRequested)
        {
            long now = _time.GetTimestamp();
            long next = long.MaxValue;
            lock (_gate)
            {
                foreach (PeerLiveness peer in _peers.Values)
                {
                    peer.Evaluate(now, _unreported);
                    next = Math.Min(next, peer.NextDeadline);
                }
            }

            ReportInOrder();

            // Sleep until the earliest deadline (just past it: suspicion needs silence
            // strictly longer than the timeout). Heartbeats only move deadlines later, so
            // waking at an old deadline is never late, only occasionally early. Compared
            // before subtracting: long.MinValue (suspected already) would overflow.
            long wait = next == long.MaxValue ? maxWait : next < now ? 1 : Math.Min(next - now, maxWait - 1) + 1;
            wait = Math.Clamp(wait, 1, maxWait);
            try
            {
                await Task.Delay(DurationAtLeast(wait), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A delay of at least <paramref name="timestampTicks"/>, and never under a millisecond:
    /// timers (real ones and <c>FakeTimeProvider</c>'s alike) have millisecond resolution, so
    /// a shorter delay fires at once, and under a virtual clock that nobody advances
    /// meanwhile the loop would spin on the same instant forever.
    /// </summary>
    private TimeSpan DurationAtLeast(long timestampTicks) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)Math.Ceiling(timestampTicks * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency)));

    // Not TimeSpan.FromSeconds(ticks / frequency): the division's rounding can lose the last
    // tick, and a silence of just over k intervals would be reported as exactly k.
    private TimeSpan Duration(long timestampTicks) => _time.GetElapsedTime(0, timestampTicks);

    private long UnixMicroseconds() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    // Pooled: it completes asynchronously on every tick, so the default builder would
    // allocate a state machine box per heartbeat interval for the life of the agent.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Report(in PeerTransition transition)
    {
        TimeSpan silence = Duration(transition.SilenceTicks);
        var args = new PeerStatusChangedEventArgs(transition.NodeId, transition.Previous, transition.Current, transition.Incarnation, transition.PreviousIncarnation, silence);
        using Activity? activity = FailoverActivitySource.Instance.StartActivity("failover.peer.transition");
        activity?.SetTag("failover.node", NodeId)
            .SetTag("failover.peer", transition.NodeId)
            .SetTag("failover.peer.state", transition.Current.ToString())
            .SetTag("failover.peer.previous_state", transition.Previous.ToString())
            .SetTag("failover.peer.incarnation", transition.Incarnation)
            .SetTag("failover.peer.silence_seconds", silence.TotalSeconds)
            .SetTag("failover.detector", _options.Detector.ToString())
            .SetTag("failover.detector.timeout_seconds", _options.HeartbeatInterval.TotalSeconds * _options.MissedHeartbeats);
        if (transition.Current == PeerState.Down)
        {
            _metrics.PeerDown(silence, wasUp: transition.Previous == PeerState.Up);
            if (transition.Previous == PeerState.Unknown)
            {
                AgentLog.PeerNeverHeard(_logger, transition.NodeId, silence.TotalMilliseconds);
            }
            else
            {
                AgentLog.PeerDown(_logger, transition.NodeId, transition.Incarnation, silence.TotalMilliseconds, _options.MissedHeartbeats, _options.HeartbeatInterval.TotalMilliseconds);
            }
        }
        else if (args.IsRestart && transition.Previous == PeerState.Up)
        {
            AgentLog.PeerRestarted(_logger, transition.NodeId, transition.PreviousIncarnation, transition.Incarnation);
        }
        else
        {
            _metrics.PeerUp();
            AgentLog.PeerUp(_logger, transition.NodeId, transition.Incarnation, transition.Previous);
        }

        try
        {
            PeerStatusChanged?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop liveness tracking.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AgentLog.SubscriberFailed(_logger, nameof(PeerStatusChanged), ex);
        }
    }

    private void Report(in PathTransition transition)
    {
        TimeSpan silence = Duration(transition.SilenceTicks);
        var args = new PathStatusChangedEventArgs(transition.NodeId, transition.PathId, transition.Previous, transition.Current, transition.Incarnation, silence);
        _metrics.PathTransition(transition.PathId, transition.Current);
        if (transition.Current == PathState.Suspected)
        {
            AgentLog.PathSuspected(_logger, transition.PathId, transition.NodeId, transition.Incarnation, silence.TotalMilliseconds, transition.Previous);
        }
        else
        {
            // A path first heard says no more than the peer's own Up line; a path heard again
            // after a suspicion is news (a NIC or link back).
            LogLevel level = transition.Previous == PathState.Suspected ? LogLevel.Information : LogLevel.Debug;
            AgentLog.PathUp(_logger, level, transition.PathId, transition.NodeId, transition.Incarnation, transition.Previous);
        }

        try
        {
            PathStatusChanged?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop liveness tracking.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AgentLog.SubscriberFailed(_logger, nameof(PathStatusChanged), ex);
        }
    }
}
