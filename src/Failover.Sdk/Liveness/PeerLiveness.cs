namespace Failover.Sdk.Liveness;

/// <summary>
/// One peer seen over all the paths it is reachable on: a detector per path, up while any
/// path hears it, down once every path is silent (FS-12, FS-15). A pure state machine fed
/// monotonic timestamps; it owns no timer. Not thread-safe: the agent serialises access.
/// </summary>
internal sealed class PeerLiveness
{
    private readonly ushort[] _paths;
    private readonly IFailureDetector[] _detectors;


    /// <param name="nodeId">The peer.</param>
    /// <param name="paths">The paths the peer is reached on.</param>
    /// <param name="detector">Makes the detector of each path.</param>
    /// <param name="start">When watching began: silence counts from here until the first heartbeat.</param>
    public PeerLiveness(uint nodeId, ReadOnlySpan<ushort> paths, FailureDetectorSettings detector, long start)
    {
        ArgumentNullException.ThrowIfNull(detector);
        NodeId = nodeId;
        _paths = paths.ToArray();
        _detectors = new IFailureDetector[_paths.Length];
        for (int i = 0; i < _detectors.Length; i++)
        {
            _detectors[i] = detector.Create(start);
        }
    }

    public uint NodeId { get; }

    public PeerState State { get; private set; }

    public uint Incarnation { get; private set; }

    /// <summary>Whether <see cref="Incarnation"/> came from an authenticated frame.</summary>
    private bool _incarnationAuthenticated;

    /// <summary>The newest heartbeat on any path (or the start, before the first).</summary>
    public long LastHeard
    {
        get
        {
            long last = long.MinValue;
            foreach (IFailureDetector detector in _detectors)
            {
                last = Math.Max(last, detector.LastHeard);
            }

            return last;
        }
    }

    /// <summary>
    /// After this timestamp the peer is suspected without another heartbeat; <see cref="long.MaxValue"/>
    /// once down, <see cref="long.MinValue"/> when every path is suspected already (evaluate now).
    /// </summary>
    public long NextDeadline
    {
        get
        {
            if (State == PeerState.Down)
            {
                return long.MaxValue;
            }

            // Down needs every path silent, so the latest path deadline is the one that counts.
            long deadline = long.MinValue;
            foreach (IFailureDetector detector in _detectors)
            {
                deadline = Math.Max(deadline, detector.Deadline);
            }

            return deadline;
        }
    }

    /// <summary>Records a heartbeat; true with a transition when the peer came up or restarted.</summary>
    /// <param name="path">The path it arrived on.</param>
    /// <param name="incarnation">The sender's incarnation in the frame.</param>
    /// <param name="now">When it arrived (monotonic timestamp).</param>
    /// <param name="transition">The change to report, when the result is true.</param>
    /// <param name="authenticated">
    /// Whether the frame's tag was verified. An unauthenticated frame (a key being rolled
    /// out) never moves an incarnation learned from an authenticated one, and an
    /// authenticated frame overrides one learned without authentication: otherwise one
    /// forged frame with a huge incarnation would make every genuine heartbeat look like an
    /// earlier life, and the peer would stay down for good.
    /// </param>
    public bool OnHeartbeat(ushort path, uint incarnation, long now, out PeerTransition transition, bool authenticated = false)
    {
        transition = default;
        int index = Array.IndexOf(_paths, path);
        if (index < 0)
        {
            return false;
        }

        // An earlier life, unless an authenticated frame corrects an incarnation that was
        // only ever claimed without authentication.
        bool earlierLife = incarnation < Incarnation && !(authenticated && !_incarnationAuthenticated);

        // Another life claimed without authentication against one proven with it.
        bool unprovenLife = !authenticated && _incarnationAuthenticated && incarnation != Incarnation;
        if (earlierLife || unprovenLife)
        {
            return false;
        }

        // Once any frame of a life is authenticated, unauthenticated frames of the same life
        // do not undo that.
        _incarnationAuthenticated = authenticated || (_incarnationAuthenticated && incarnation == Incarnation);
        IFailureDetector detector = _detectors[index];
        detector.Heartbeat(now);
        if (State != PeerState.Up && detector.IsSuspected(now))
        {
            // Heard again but not yet trusted (rise, EX-2): the peer stays as it was.
            return false;
        }

        PeerState previous = State;
        uint previousIncarnation = Incarnation;
        State = PeerState.Up;
        Incarnation = incarnation;

        bool restarted = previousIncarnation != 0 && incarnation > previousIncarnation;
        if (previous == PeerState.Up && !restarted)
        {
            return false;
        }

        transition = new PeerTransition(NodeId, previous, PeerState.Up, incarnation, previousIncarnation, 0);
        return true;
    }

    /// <summary>Checks the detectors at <paramref name="now"/>; true with a transition when the peer went down.</summary>
    public bool Evaluate(long now, out PeerTransition transition)
    {
        transition = default;
        if (State == PeerState.Down)
        {
            return false;
        }

        foreach (IFailureDetector detector in _detectors)
        {
            if (!detector.IsSuspected(now))
            {
                return false;
            }
        }

        PeerState previous = State;
        State = PeerState.Down;
        transition = new PeerTransition(NodeId, previous, PeerState.Down, Incarnation, Incarnation, now - LastHeard);
        return true;
    }
}
