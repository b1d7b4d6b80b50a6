namespace Failover.Sdk.Wire;

/// <summary>
/// One decoded or to-be-encoded wire frame. The common fields are present on every type;
/// the others belong to the types named in their documentation and are zero elsewhere.
/// </summary>
/// <remarks>
/// A value type so that the heartbeat path allocates nothing: frames are written from and
/// read into caller-owned storage. See <c>docs/wire-protocol.md</c> for the layout.
/// </remarks>
public readonly record struct Frame
{
    /// <summary>A frame with the common fields set and every type-specific field zero.</summary>
    /// <remarks>
    /// For the decoder: assigned to an <c>out</c> parameter, a constructor call builds the
    /// frame in place, where an object initializer builds a temporary and then copies the
    /// whole struct.
    /// </remarks>
    internal Frame(
        FrameType type,
        uint sender,
        uint target,
        ushort pathId,
        uint incarnation,
        ulong sequence,
        long timestamp,
        ulong fencingEpoch)
    {
        // Cleared as a whole (two wide stores) rather than field by field as the compiler
        // would, which zeroes the UInt128 fields through a stack temporary and stalls.
        this = default;
        Type = type;
        Sender = sender;
        Target = target;
        PathId = pathId;
        Incarnation = incarnation;
        Sequence = sequence;
        Timestamp = timestamp;
        FencingEpoch = fencingEpoch;
    }

    /// <summary>The frame's type.</summary>
    public FrameType Type { get; init; }

    /// <summary>Node id of the sender; never zero on a valid frame.</summary>
    public uint Sender { get; init; }

    /// <summary>Node id of the intended receiver.</summary>
    public uint Target { get; init; }

    /// <summary>The network path (NIC, transport) the frame was sent on.</summary>
    public ushort PathId { get; init; }

    /// <summary>The sender's incarnation: bumped at every restart of the sender.</summary>
    public uint Incarnation { get; init; }

    /// <summary>Per (sender, path, incarnation) sequence number, one more per frame.</summary>
    public ulong Sequence { get; init; }

    /// <summary>
    /// The sender's clock in microseconds since the Unix epoch. Informational only:
    /// liveness is always judged on the receiver's own monotonic clock.
    /// </summary>
    public long Timestamp { get; init; }

    /// <summary>The newest fencing token the sender knows.</summary>
    public ulong FencingEpoch { get; init; }

    /// <summary>
    /// The workload the frame is about, by its wire id (<see cref="FrameType.Probe"/>, <see cref="FrameType.ProbeReply"/>,
    /// <see cref="FrameType.WorkloadHeartbeat"/>, <see cref="FrameType.WorkloadCommand"/>, <see cref="FrameType.WorkloadCommandReply"/>).
    /// </summary>
    public uint WorkloadId { get; init; }

    /// <summary>The probe's key, a fresh nonce (<see cref="FrameType.Probe"/>, echoed in <see cref="FrameType.ProbeReply"/>).</summary>
    public UInt128 Key { get; init; }

    /// <summary>The workload's answer to <see cref="Key"/> (<see cref="FrameType.ProbeReply"/>).</summary>
    public UInt128 Response { get; init; }

    /// <summary>
    /// Correlates a request with its reply (<see cref="FrameType.DiagnosticProbe"/>, <see cref="FrameType.DiagnosticReply"/>,
    /// <see cref="FrameType.WorkloadCommand"/>, <see cref="FrameType.WorkloadCommandReply"/>).
    /// </summary>
    public ulong RequestId { get; init; }

    /// <summary>Which diagnostics ladder step sent the probe (<see cref="FrameType.DiagnosticProbe"/>, <see cref="FrameType.DiagnosticReply"/>).</summary>
    public byte DiagnosticStep { get; init; }

    /// <summary>The replying side's status for that step (<see cref="FrameType.DiagnosticReply"/>).</summary>
    public byte DiagnosticStatus { get; init; }

    /// <summary>Which swap command (<see cref="FrameType.WorkloadCommand"/>, echoed in <see cref="FrameType.WorkloadCommandReply"/>).</summary>
    public byte Command { get; init; }

    /// <summary>How the command went (<see cref="FrameType.WorkloadCommandReply"/>; zero in a command).</summary>
    public byte CommandStatus { get; init; }

    /// <summary>
    /// The other node the command is about, e.g. the node a new monitor is to watch
    /// (<see cref="FrameType.WorkloadCommand"/>, <see cref="FrameType.WorkloadCommandReply"/>).
    /// </summary>
    public uint SubjectNode { get; init; }

    /// <summary>
    /// How many times in a row the workload failed soon after starting, carried from monitor to monitor
    /// so restart damping survives the swap (<see cref="FrameType.WorkloadCommand"/>, <see cref="FrameType.WorkloadCommandReply"/>).
    /// </summary>
    public byte FailureStreak { get; init; }
}
