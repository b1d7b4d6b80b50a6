using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Runners;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Workloads;

/// <summary>
/// The workload's side of a process workload's monitoring (FS-4, FS-5): answers the probe
/// keys its node's agent relays from the monitor, and in heartbeat mode sends heartbeats. A
/// process started by a Failover agent creates one with <see cref="FromEnvironment"/>, starts
/// it, and keeps it for its whole life.
/// </summary>
/// <remarks>
/// <para>
/// The answers and heartbeats come from a dedicated background thread, not the thread pool:
/// a busy process whose pool is starved still answers, while a process that is frozen
/// (SIGSTOP, a debugger) or gone answers nothing, which is how its monitor tells a hang.
/// Apps whose liveness is their own loop's progress call <see cref="Heartbeat"/> from it too.
/// </para>
/// <para>
/// All traffic goes to the agent's local channel on 127.0.0.1, authenticated with the key
/// the agent put in this process's environment.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // Null when not started by a Failover agent, e.g. on a developer's machine.
/// await using WorkloadClient? failover = WorkloadClient.FromEnvironment();
/// failover?.Start();
///
/// while (!stopping.IsCancellationRequested)
/// {
///     // The fencing token goes with every write to a fenced resource.
///     await ProcessNextBatchAsync(failover?.FencingToken, stopping);
/// }
/// </code>
/// </example>
public sealed class WorkloadClient : IAsyncDisposable
{
    /// <summary>Without heartbeats, the hello that tells the channel where this process is goes out this often, so a re-created channel finds it again.</summary>
    private static readonly TimeSpan HelloInterval = TimeSpan.FromSeconds(3);

    /// <summary>The longest single wait of the thread, so that a clock that is not the system's is still looked at.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A pause after an unexpected receive error, so a socket that fails persistently cannot spin a core.</summary>
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(50);

    private const string SetByAgent = "The Failover agent that starts this process sets it.";

    private readonly TimeProvider _time;
    private readonly uint _wireId;
    private readonly SocketAddress _channelAddress;
    private readonly byte[] _probeSecret;
    private readonly TimeSpan? _heartbeatInterval;
    private readonly FrameWriter _writer;
    private readonly FrameReader _reader;
    private readonly MicrosecondSequence _sequence;
    private readonly uint _incarnation;
    private readonly TaskCompletionSource _threadExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Socket? _socket;
    private volatile bool _stopping;
    private int _disposed;

    private WorkloadClient(
        TimeProvider time,
        string workloadId,
        uint wireId,
        IPEndPoint channel,
        byte[] channelKey,
        byte[] probeSecret,
        TimeSpan? heartbeatInterval,
        long fencingToken,
        uint nodeId)
    {
        _time = time;
        WorkloadId = workloadId;
        _wireId = wireId;
        _channelAddress = channel.Serialize();
        _probeSecret = probeSecret;
        _heartbeatInterval = heartbeatInterval;
        FencingToken = fencingToken;
        NodeId = nodeId;
        var authenticator = new FrameAuthenticator(channelKey);
        _writer = new FrameWriter(authenticator);
        _reader = new FrameReader(new FrameReaderOptions
        {
            Authenticator = authenticator,
            RequireAuthentication = true,
            ReplayWindowCapacity = 4,
        });
        _sequence = new MicrosecondSequence(time);
        _incarnation = (uint)Environment.ProcessId;
    }

    /// <summary>The workload's id.</summary>
    public string WorkloadId { get; }

    /// <summary>The node this process runs on.</summary>
    public uint NodeId { get; }

    /// <summary>The fencing token of this run: send it with every write to a fenced resource (BY-1).</summary>
    public long FencingToken { get; }

    /// <summary>
    /// The client for this process, from the variables its agent set; null when the process
    /// was not started by a Failover agent (none of them is set).
    /// </summary>
    /// <param name="time">The clock of heartbeats and frame timestamps; the system's when null.</param>
    /// <exception cref="InvalidOperationException">A variable is missing or malformed; the message names it.</exception>
    public static WorkloadClient? FromEnvironment(TimeProvider? time = null) =>
        FromVariables(Environment.GetEnvironmentVariable, time);

    /// <summary>As <see cref="FromEnvironment"/>, reading the variables through <paramref name="read"/>.</summary>
    internal static WorkloadClient? FromVariables(Func<string, string?> read, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        string[] required =
        [
            WorkloadEnvironment.WorkloadId, WorkloadEnvironment.WireId, WorkloadEnvironment.Endpoint, WorkloadEnvironment.ChannelKey,
            WorkloadEnvironment.ProbeSecret, WorkloadEnvironment.FencingToken, WorkloadEnvironment.NodeId,
        ];
        if (required.All(name => string.IsNullOrEmpty(read(name))))
        {
            return null;
        }

        string Required(string name) => read(name) is { Length: > 0 } value ? value : throw Missing(name);

        string workloadId = Required(WorkloadEnvironment.WorkloadId);
        uint wireId = ParseUInt32(WorkloadEnvironment.WireId, Required(WorkloadEnvironment.WireId));
        IPEndPoint channel = ParseEndpoint(Required(WorkloadEnvironment.Endpoint));
        byte[] channelKey = ParseKey(WorkloadEnvironment.ChannelKey, Required(WorkloadEnvironment.ChannelKey), FrameAuthenticator.MinimumKeyLength);
        byte[] probeSecret = ParseKey(WorkloadEnvironment.ProbeSecret, Required(WorkloadEnvironment.ProbeSecret), 1);
        string fencing = Required(WorkloadEnvironment.FencingToken);
        if (!long.TryParse(fencing, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long fencingToken))
        {
            throw Malformed(WorkloadEnvironment.FencingToken, fencing, "a whole number");
        }

        uint nodeId = ParseUInt32(WorkloadEnvironment.NodeId, Required(WorkloadEnvironment.NodeId));
        TimeSpan? heartbeat = null;
        if (read(WorkloadEnvironment.HeartbeatMilliseconds) is { Length: > 0 } milliseconds)
        {
            if (!int.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            {
                throw Malformed(WorkloadEnvironment.HeartbeatMilliseconds, milliseconds, "a positive number of milliseconds");
            }

            heartbeat = TimeSpan.FromMilliseconds(value);
        }

        return new WorkloadClient(time ?? TimeProvider.System, workloadId, wireId, channel, channelKey, probeSecret, heartbeat, fencingToken, nodeId);
    }

    /// <summary>
    /// Binds a socket on 127.0.0.1, says hello to the agent's channel at once, and starts the
    /// thread that answers probes and, in heartbeat mode, sends the heartbeats.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client has already been started.</exception>
    /// <exception cref="ObjectDisposedException">The client has been disposed.</exception>
    /// <exception cref="SocketException">No loopback port could be bound.</exception>
    public void Start()
    {
        Socket socket;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_socket is not null)
            {
                throw new InvalidOperationException("The workload client has already been started.");
            }

            socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _socket = socket;
        }

        SendHeartbeat(socket);
        var thread = new Thread(() => Run(socket))
        {
            IsBackground = true,
            Name = "Failover workload client",
        };
        thread.Start();
    }

    /// <summary>
    /// Sends one heartbeat now, besides the ones the client's own thread sends in heartbeat
    /// mode. Cheap and thread-safe; a heartbeat that cannot be sent is lost, as on the network.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client has not been started.</exception>
    public void Heartbeat()
    {
        Socket socket = Volatile.Read(ref _socket) ?? throw new InvalidOperationException("Start the workload client before sending heartbeats.");
        SendHeartbeat(socket);
    }

    /// <summary>Stops the thread and closes the socket; the agent hears nothing more from this process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        Socket? socket;
        lock (_gate)
        {
            socket = _socket;
        }

        if (socket is null)
        {
            return;
        }

        try
        {
            // Wakes the thread from its wait at once: a datagram to itself, which it discards.
            socket.SendTo(new byte[1], SocketFlags.None, socket.LocalEndPoint!);
            await _threadExited.Task.WaitAsync(StopTimeout, _time).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Could not wake it: closing the socket below ends its wait with an error instead.
        }
        catch (TimeoutException)
        {
            // The socket is closed anyway; the thread ends on its next wake.
        }

        socket.Dispose();
    }

    private void Run(Socket socket)
    {
        try
        {
            byte[] buffer = new byte[FrameLayout.MaxFrameLength + 1];
            var from = new SocketAddress(socket.AddressFamily);
            TimeSpan period = _heartbeatInterval ?? HelloInterval;
            long next = _time.GetTimestamp() + ToTimestamp(period);
            while (!_stopping)
            {
                long now = _time.GetTimestamp();
                if (now >= next)
                {
                    SendHeartbeat(socket);

                    // On schedule, but never a burst to catch up after the process was frozen.
                    next += ToTimestamp(period);
                    if (next <= now)
                    {
                        next = now + ToTimestamp(period);
                    }

                    continue;
                }

                TimeSpan wait = _time.GetElapsedTime(now, next);
                if (socket.Poll(wait < MaxWait ? wait : MaxWait, SelectMode.SelectRead) && !_stopping)
                {
                    int length;
                    try
                    {
                        length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                    }
                    catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
                    {
                        // One datagram's trouble (Windows reports an ICMP "port unreachable"
                        // for the channel, or a datagram too long): it is consumed, go on.
                        continue;
                    }
                    catch (SocketException) when (!_stopping)
                    {
                        Task.Delay(ErrorPause, _time).Wait();
                        continue;
                    }

                    Answer(socket, buffer.AsSpan(0, length));
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed: the thread ends.
        }
        catch (SocketException)
        {
            // Failed while stopping: the thread ends.
        }
        finally
        {
            _threadExited.TrySetResult();
        }
    }

    private void Answer(Socket socket, ReadOnlySpan<byte> datagram)
    {
        // Anything but an authenticated probe for this workload is ignored: the wake-up byte,
        // stray or forged datagrams, replays.
        if (_reader.Read(datagram, out Frame probe).Status != FrameReadStatus.Frame
            || probe.Type != FrameType.Probe
            || probe.WorkloadId != _wireId)
        {
            return;
        }

        ulong sequence = _sequence.Next(out long timestamp);
        Send(socket, new Frame
        {
            Type = FrameType.ProbeReply,
            Sender = _wireId,
            Target = NodeId,
            Incarnation = _incarnation,
            Sequence = sequence,
            Timestamp = timestamp,
            FencingEpoch = (ulong)FencingToken,
            WorkloadId = _wireId,
            Key = probe.Key,
            Response = ProbeDigest.Compute(_probeSecret, _wireId, probe.Key),
        });
    }

    private void SendHeartbeat(Socket socket)
    {
        ulong sequence = _sequence.Next(out long timestamp);
        Send(socket, new Frame
        {
            Type = FrameType.WorkloadHeartbeat,
            Sender = _wireId,
            Target = NodeId,
            Incarnation = _incarnation,
            Sequence = sequence,
            Timestamp = timestamp,
            FencingEpoch = (ulong)FencingToken,
            WorkloadId = _wireId,
        });
    }

    private void Send(Socket socket, in Frame frame)
    {
        Span<byte> bytes = stackalloc byte[FrameLayout.MaxFrameLength];
        int length = _writer.Write(frame, bytes);
        try
        {
            socket.SendTo(bytes[..length], SocketFlags.None, _channelAddress);
        }
        catch (SocketException)
        {
            // Lost, as a datagram may be: the monitor counts what arrives.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nothing more is sent.
        }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static uint ParseUInt32(string name, string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint number) && number != 0
            ? number
            : throw Malformed(name, value, "a whole number from 1 to 4294967295");

    private static IPEndPoint ParseEndpoint(string value)
    {
        // The channel is always on this machine's loopback: anything else is a mistake, and
        // would send the probe answers off the machine.
        if (!IPEndPoint.TryParse(value, out IPEndPoint? endPoint) || !IPAddress.IsLoopback(endPoint.Address) || endPoint.Port == 0)
        {
            throw Malformed(WorkloadEnvironment.Endpoint, value, "a loopback address and port such as 127.0.0.1:40123");
        }

        return endPoint;
    }

    private static byte[] ParseKey(string name, string value, int minimumLength)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            // The value is a secret: it is never quoted.
            throw new InvalidOperationException($"The environment variable {name} is malformed: it is not valid base64. {SetByAgent}");
        }

        if (key.Length < minimumLength)
        {
            throw new InvalidOperationException($"The environment variable {name} is malformed: it decodes to {key.Length} bytes, at least {minimumLength} are needed. {SetByAgent}");
        }

        return key;
    }

    private static InvalidOperationException Malformed(string name, string value, string expected) =>
        new($"The environment variable {name} is malformed: '{value}' is not {expected}. {SetByAgent}");

    private static InvalidOperationException Missing(string name) =>
        new($"The environment variable {name} is not set, though other FAILOVER_ variables are: the process was started with an incomplete environment. {SetByAgent}");
}
