namespace Failover.Sdk.Configuration;

/// <summary>
/// Options of a Failover.Sdk agent, bound from the configuration section
/// <see cref="SectionName"/> and validated when the host starts.
/// </summary>
public sealed class FailoverOptions
{
    /// <summary>The configuration section <c>AddFailover()</c> binds: <c>Failover</c>.</summary>
    public const string SectionName = "Failover";

    /// <summary>This node's id: non-zero and unique in the cluster.</summary>
    public uint NodeId { get; set; }

    /// <summary>How often a heartbeat goes to every peer on every path. Default 100 ms.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A peer is suspected after this many heartbeat intervals of silence on every path (FS-15). Default 3.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>The failure detector run per peer and path. Default <see cref="FailoverDetectorKind.Fixed"/>.</summary>
    public FailoverDetectorKind Detector { get; set; } = FailoverDetectorKind.Fixed;

    /// <summary>
    /// For <see cref="FailoverDetectorKind.PhiAccrual"/>: suspect once φ reaches this. Default 8
    /// (Akka's), about one false suspicion in 10⁸ heartbeats if arrivals were normally distributed.
    /// </summary>
    public double PhiThreshold { get; set; } = 8;

    /// <summary>
    /// For <see cref="FailoverDetectorKind.PhiAccrual"/>: the floor on the learned standard
    /// deviation of intervals. When unset, a tenth of <see cref="HeartbeatInterval"/> (Akka's
    /// ratio, 100 ms for 1 s): on a quiet LAN the measured deviation is near zero and would
    /// make a few milliseconds of delay a suspicion.
    /// </summary>
    public TimeSpan? PhiMinStdDeviation { get; set; }

    /// <summary>
    /// For <see cref="FailoverDetectorKind.PhiAccrual"/>: a pause tolerated outright, added to
    /// the mean interval (a GC or a busy host). Default zero.
    /// </summary>
    public TimeSpan AcceptableHeartbeatPause { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// A suspected path is trusted again after this many consecutive heartbeats, the first one
    /// included (EX-2): above 2 a peer alternating late and on-time heartbeats no longer flaps.
    /// Default 1, trust at once.
    /// </summary>
    public int RiseCount { get; set; } = 1;

    /// <summary>What carries frames. Default <see cref="FailoverTransportKind.InMemory"/>.</summary>
    public FailoverTransportKind Transport { get; set; } = FailoverTransportKind.InMemory;

    /// <summary>This node's network paths; when empty, one path with id 1 (enough in memory).</summary>
    public IList<FailoverPathOptions> Paths { get; set; } = [];

    /// <summary>The peers to heartbeat and watch, once per path each is reachable on.</summary>
    public IList<FailoverPeerOptions> Peers { get; set; } = [];

    /// <summary>The largest frame accepted, in bytes; a longer length field is rejected from the header alone. Default 256.</summary>
    public int MaxFrameLength { get; set; } = 256;

    /// <summary>
    /// The shared key for frame authentication (BY-3), base64, at least 16 bytes once decoded.
    /// When set, every frame sent carries an HMAC-SHA256 tag and every tag received is checked.
    /// </summary>
    public string? AuthenticationKey { get; set; }

    /// <summary>Reject frames without a tag. Requires <see cref="AuthenticationKey"/>. Default false, so a key can be rolled out node by node.</summary>
    public bool RequireAuthentication { get; set; }

    /// <summary>
    /// This run's incarnation. When unset, the start time in seconds since the Unix epoch,
    /// so every restart more than a second apart gets a larger one; set it from a persisted
    /// counter where restarts can be faster.
    /// </summary>
    public uint? Incarnation { get; set; }

    /// <summary>How this agent holds its lease and its workloads in the coordination store (BY-1).</summary>
    public FailoverCoordinationOptions Coordination { get; set; } = new();

    /// <summary>The LAN segment this node is on (FS-3, FS-9); swaps prefer another LAN when nodes name theirs.</summary>
    public string? Lan { get; set; }

    /// <summary>What this node offers, matched against <see cref="FailoverWorkloadOptions.RequiredTags"/>.</summary>
    public IList<string> Tags { get; set; } = [];

    /// <summary>The workloads of the cluster, the same list on every node (FS-7).</summary>
    public IList<FailoverWorkloadOptions> Workloads { get; set; } = [];

    /// <summary>Timeouts of the process swap (FS-6).</summary>
    public FailoverSwapOptions Swap { get; set; } = new();
}
