using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// The agent's end of the link to the process workloads on its own node: a UDP socket on
/// 127.0.0.1 speaking the wire format, every frame tagged with a key made for this channel
/// alone. The agent relays each probe key from a workload's monitor through
/// <see cref="SendProbe"/>; a workload's answers and heartbeats come back through the
/// <see cref="IWorkloadSignals"/> it was registered with.
/// </summary>
/// <remarks>
/// Another local user can reach a loopback port but, without the key (which only the agent
/// and the processes it starts see, in their environment), can neither inject an answer nor
/// a heartbeat. A process is found where its last authenticated frame came from: the
/// <see cref="WorkloadClient"/> says hello as soon as it starts, and again every few seconds.
/// </remarks>
internal sealed class LocalWorkloadChannel : IAsyncDisposable
{
    /// <summary>The length of <see cref="ChannelKey"/>: a full HMAC-SHA256 key.</summary>
    public const int KeyLength = 32;

    /// <summary>Any UDP datagram fits, so an oversized one is read whole and rejected as such, never cut to look valid.</summary>
    private const int ReceiveBufferLength = 64 * 1024;

    /// <summary>One process sends as one (sender, path) pair; a little room for a restarted one's frames in flight.</summary>
    private const int ReplayPairsPerWorkload = 4;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A pause after an unexpected receive error, so a socket that fails persistently cannot spin a core.</summary>
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FrameWriter _writer;
    private readonly FrameReader _reader;
    private readonly MicrosecondSequence _sequence;
    private readonly uint _incarnation;
    private readonly ConcurrentDictionary<uint, Registration> _registrations = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loopExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LogThrottle _dropLog;
    private readonly LogThrottle _probeLog;
    private readonly LogThrottle _receiveErrorLog;
    private readonly LogThrottle _signalsLog;
    private readonly Lock _gate = new();
    private Socket? _socket;
    private IPEndPoint? _endPoint;
    private long _rejected;
    private long _unrouted;
    private long _probesDropped;
    private long _delivered;
    private int _disposed;

    /// <param name="time">The clock of frame timestamps, sequences and log throttles.</param>
    /// <param name="logger">Where the channel logs.</param>
    /// <param name="nodeId">The node id probes are sent as; 1 when not given.</param>
    public LocalWorkloadChannel(TimeProvider time, ILogger logger, uint nodeId = 1)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfZero(nodeId);
        _time = time;
        _logger = logger;
        NodeId = nodeId;
        ChannelKey = RandomNumberGenerator.GetBytes(KeyLength);
        var authenticator = new FrameAuthenticator(ChannelKey);
        _writer = new FrameWriter(authenticator);

        // Replay is judged per registration (see Registration), not here: a workload's
        // incarnation is its process id, which a restart can make smaller, and one reader's
        // window would then refuse the new run as stale.
        _reader = new FrameReader(new FrameReaderOptions
        {
            Authenticator = authenticator,
            RequireAuthentication = true,
            ReplayWindowCapacity = 0,
        });
        _sequence = new MicrosecondSequence(time);
        _incarnation = (uint)Math.Clamp(time.GetUtcNow().ToUnixTimeSeconds(), 1, uint.MaxValue);
        _dropLog = new LogThrottle(time);
        _probeLog = new LogThrottle(time);
        _receiveErrorLog = new LogThrottle(time);
        _signalsLog = new LogThrottle(time);
    }

    /// <summary>The node id probes are sent as.</summary>
    public uint NodeId { get; }

    /// <summary>The key every frame on this channel is tagged with: 32 random bytes, made once per channel.</summary>
    public byte[] ChannelKey { get; }

    /// <summary>Where the channel listens: 127.0.0.1 and the port the system picked.</summary>
    /// <exception cref="InvalidOperationException">The channel has not been started.</exception>
    public IPEndPoint EndPoint => _endPoint ?? throw new InvalidOperationException("The local workload channel has not been started.");

    /// <summary>Datagrams dropped as malformed, forged (bad or missing tag) or replayed.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Authenticated frames dropped because no workload is registered for their wire id, or their type has no business here.</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    /// <summary>Probes not sent: the workload is not registered, has not been heard from yet, or the send failed.</summary>
    public long ProbesDropped => Interlocked.Read(ref _probesDropped);

    /// <summary>Answers and heartbeats handed to a workload's signals.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Starts the channel unless it already runs: the agent opens it only once a process workload starts here.</summary>
    public void EnsureStarted()
    {
        lock (_gate)
        {
            if (_socket is not null)
            {
                return;
            }

            Start();
        }
    }

    /// <summary>Binds the socket to 127.0.0.1 on a free port and starts the receive loop.</summary>
    /// <exception cref="InvalidOperationException">The channel has already been started.</exception>
    /// <exception cref="SocketException">No loopback port could be bound.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_socket is not null)
            {
                throw new InvalidOperationException("The local workload channel has already been started.");
            }

            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _endPoint = (IPEndPoint)socket.LocalEndPoint!;
            _socket = socket;

            // A dedicated thread, as in UdpTransport: answers are timed, and a starved thread
            // pool must not make a healthy workload look slow.
            var thread = new Thread(() => ReceiveLoop(socket))
            {
                IsBackground = true,
                Name = "Failover local workload channel",
            };
            thread.Start();
        }

        ProcessRunnerLog.ChannelStarted(_logger, _endPoint);
    }

    /// <summary>
    /// Routes the frames of <paramref name="workload"/> to <paramref name="signals"/> until the
    /// returned registration is disposed. Register before the process starts, so its first
    /// hello is not dropped.
    /// </summary>
    /// <exception cref="InvalidOperationException">The workload's wire id is already registered.</exception>
    public IDisposable Register(WorkloadDescriptor workload, IWorkloadSignals signals)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(signals);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var registration = new Registration(this, workload, signals);
        if (!_registrations.TryAdd(workload.WireId, registration))
        {
            throw new InvalidOperationException(
                $"Workload '{workload.Id}' (wire id {workload.WireId}) is already registered with the local workload channel; dispose the earlier registration first.");
        }

        return registration;
    }

    /// <summary>
    /// Sends a probe key to the process of <paramref name="wireId"/>, where it was last heard
    /// from. Dropped (and counted) when it is not registered or not heard from yet. Never
    /// blocks for long and never throws.
    /// </summary>
    public void SendProbe(uint wireId, UInt128 key)
    {
        Socket? socket = _socket;
        if (socket is null || !_registrations.TryGetValue(wireId, out Registration? registration) || registration.Address is not { } address)
        {
            Interlocked.Increment(ref _probesDropped);
            if (_logger.IsEnabled(LogLevel.Debug) && _probeLog.TryEnter(out long suppressed))
            {
                ProcessRunnerLog.ChannelProbeUnroutable(_logger, wireId, suppressed);
            }

            return;
        }

        ulong sequence = _sequence.Next(out long timestamp);
        var frame = new Frame
        {
            Type = FrameType.Probe,
            Sender = NodeId,
            Target = wireId,
            Incarnation = _incarnation,
            Sequence = sequence,
            Timestamp = timestamp,
            WorkloadId = wireId,
            Key = key,
        };
        Span<byte> bytes = stackalloc byte[FrameLayout.MaxFrameLength];
        int length = _writer.Write(frame, bytes);
        try
        {
            socket.SendTo(bytes[..length], SocketFlags.None, address);
        }
        catch (SocketException ex)
        {
            Interlocked.Increment(ref _probesDropped);
            if (_probeLog.TryEnter(out long suppressed))
            {
                ProcessRunnerLog.ChannelSendFailed(_logger, wireId, ex.SocketErrorCode, suppressed);
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while sending: the probe is simply not sent.
            Interlocked.Increment(ref _probesDropped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Socket? socket;
        lock (_gate)
        {
            socket = _socket;
        }

        if (socket is not null)
        {
            // Closing the socket is what wakes the thread blocked in ReceiveFrom.
            socket.Dispose();
            try
            {
                await _loopExited.Task.WaitAsync(StopTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ProcessRunnerLog.ChannelStopTimedOut(_logger, StopTimeout);
                return;
            }
        }

        _stop.Dispose();
        ProcessRunnerLog.ChannelStopped(_logger);
    }

    private void ReceiveLoop(Socket socket)
    {
        CancellationToken stop = _stop.Token;
        try
        {
            byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength, pinned: true);
            var from = new SocketAddress(socket.AddressFamily);
            while (!stop.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
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

                Receive(buffer.AsSpan(0, length), from);
            }
        }
        finally
        {
            _loopExited.TrySetResult();
        }
    }

    private void Receive(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        FrameReadResult result = _reader.Read(datagram, out Frame frame);
        if (result.Status != FrameReadStatus.Frame)
        {
            Interlocked.Increment(ref _rejected);
            LogDropped(result.Reason, frame, from);
            return;
        }

        if (frame.Type is not (FrameType.ProbeReply or FrameType.WorkloadHeartbeat)
            || !_registrations.TryGetValue(frame.WorkloadId, out Registration? registration))
        {
            Interlocked.Increment(ref _unrouted);
            LogDropped(FrameRejectReason.None, frame, from);
            return;
        }

        FrameRejectReason replay = registration.Replay.Check(frame.Sender, frame.PathId, frame.Incarnation, frame.Sequence);
        if (replay != FrameRejectReason.None)
        {
            Interlocked.Increment(ref _rejected);
            LogDropped(replay, frame, from);
            return;
        }

        registration.HeardFrom(from);
        Interlocked.Increment(ref _delivered);
        try
        {
            if (frame.Type == FrameType.ProbeReply)
            {
                registration.Signals.OnProbeAnswered(frame.Key, frame.Response);
            }
            else
            {
                registration.Signals.OnHeartbeat();
            }
        }
#pragma warning disable CA1031 // Signals are meant never to throw; if one does, the loop must outlive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (_signalsLog.TryEnter(out long suppressed))
            {
                ProcessRunnerLog.ChannelSignalsFailed(_logger, ex, registration.Workload.Id, frame.Type, suppressed);
            }
        }
    }

    private void OnReceiveError(SocketError error, CancellationToken stop)
    {
        // ICMP port unreachable from a workload that has exited surfaces here on some
        // systems: expected, and no reason to pause.
        if (error is SocketError.ConnectionReset or SocketError.ConnectionRefused)
        {
            return;
        }

        if (_receiveErrorLog.TryEnter(out long suppressed))
        {
            ProcessRunnerLog.ChannelReceiveFailed(_logger, error, suppressed);
        }

        try
        {
            // Only the wait is cancelled, never the delay, so stopping surfaces as one exception type.
            Task.Delay(ErrorPause, _time, CancellationToken.None).Wait(stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the loop.
        }
    }

    /// <summary>Logs a dropped datagram: rejected for <paramref name="reason"/>, or, with none, a frame with no route.</summary>
    private void LogDropped(FrameRejectReason reason, in Frame frame, SocketAddress from)
    {
        if (_logger.IsEnabled(LogLevel.Debug) && _dropLog.TryEnter(out long suppressed))
        {
            // Formatted only here, at most once per throttle interval, so a flood allocates nothing.
            string remote = Describe(from);
            string why = reason != FrameRejectReason.None ? reason.ToString() : $"a {frame.Type} frame for workload {frame.WorkloadId}, which has no route here";
            ProcessRunnerLog.ChannelInputDropped(_logger, remote, why, suppressed);
        }
    }

    private static string Describe(SocketAddress address)
    {
        try
        {
            return new IPEndPoint(IPAddress.Any, 0).Create(address).ToString() ?? "?";
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }

    /// <summary>One workload's route: its signals, where its process was last heard from, and its replay window.</summary>
    private sealed class Registration(LocalWorkloadChannel channel, WorkloadDescriptor workload, IWorkloadSignals signals) : IDisposable
    {
        private SocketAddress? _address;

        public WorkloadDescriptor Workload => workload;

        public IWorkloadSignals Signals => signals;

        /// <summary>Fresh for every registration, so a new run is judged apart from the last one's frames.</summary>
        public ReplayWindow Replay { get; } = new(ReplayPairsPerWorkload);

        public SocketAddress? Address => Volatile.Read(ref _address);

        /// <summary>Remembers where an authenticated frame came from; copies only when it changed.</summary>
        public void HeardFrom(SocketAddress from)
        {
            SocketAddress? known = Volatile.Read(ref _address);
            if (known is not null && known.Equals(from))
            {
                return;
            }

            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            Volatile.Write(ref _address, copy);
            if (channel._logger.IsEnabled(LogLevel.Debug))
            {
                string endPoint = Describe(copy);
                ProcessRunnerLog.ChannelWorkloadLocated(channel._logger, workload.Id, endPoint);
            }
        }

        public void Dispose() => channel._registrations.TryRemove(new KeyValuePair<uint, Registration>(workload.WireId, this));
    }
}
