namespace Failover.Sdk.Liveness;

/// <summary>
/// One peer seen over all the paths it is reachable on: a detector per path, each path up or
/// suspected on its own, and the peer up while any path hears it, down once every path is
/// silent (FS-12, FS-15). A pure state machine fed monotonic timestamps; it owns no timer.
/// Not thread-safe: the agent serialises access.
/// </summary>
/// <remarks>
/// Changes go to the caller's queue in the order they are decided: on a heartbeat the path's
/// Up before the peer's Up it brings; in <see cref="Evaluate"/> each newly suspected path, by
/// path id, before the peer's Down. So a subscriber never sees a peer down while one of its
/// paths still looks up, nor a peer up before the path that heard it.
/// </remarks>
internal sealed class PeerLiveness
{
    private readonly ushort[] _paths;
    private readonly IFailureDetector[] _detectors;
    private readonly PathState[] _pathStates;

    /// <param name="nodeId">The peer.</param>
    /// <param name="paths">The paths the peer is reached on.</param>
    /// <param name="detector">Makes the detector of each path.</param>
    /// <param name="start">When watching began: silence counts from here until the first heartbeat.</param>
    public PeerLiveness(uint nodeId, ReadOnlySpan<ushort> paths, FailureDetectorSettings detector, long start)
    {
        ArgumentNullException.ThrowIfNull(detector);
        NodeId = nodeId;
        _paths = paths.ToArray();

        // By id, so that paths suspected at the same wake-up are reported in a stable order.
        Array.Sort(_paths);
        _detectors = new IFailureDetector[_paths.Length];
        _pathStates = new PathState[_paths.Length];
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

    /// <summary>The paths the peer is reached on, by id; an index here is the index of the getters below.</summary>
    public ReadOnlySpan<ushort> Paths => _paths;

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
    /// After this timestamp a path not suspected yet is suspected without another heartbeat
    /// on it (and, if it is the last one, the peer is down); <see cref="long.MaxValue"/> once
    /// every path is suspected, <see cref="long.MinValue"/> when a path not yet reported is
    /// suspected already (evaluate now).
    /// </summary>
    /// <remarks>
    /// The earliest deadline, not the latest: a path's suspicion is reported on its own. A
    /// healthy peer costs no extra wake-up: heartbeats keep moving every path's deadline
    /// ahead, and the watch loop wakes once an interval anyway. Paths that fall silent
    /// together (a peer that stops) have deadlines within the delivery skew of each other, so
    /// one wake-up, timers having millisecond resolution, usually settles them all; paths that
    /// fall silent apart cost one wake-up each. A suspected path has no deadline: only a
    /// heartbeat changes it again.
    /// </remarks>
    public long NextDeadline
    {
        get
        {
            long deadline = long.MaxValue;
            for (int i = 0; i < _detectors.Length; i++)
            {
                if (_pathStates[i] != PathState.Suspected)
                {
                    deadline = Math.Min(deadline, _detectors[i].Deadline);
                }
            }

            return deadline;
        }
    }

    /// <summary>The state of the path at <paramref name="index"/> in <see cref="Paths"/>.</summary>
    public PathState PathStateAt(int index) => _pathStates[index];

    /// <summary>The newest heartbeat on the path at <paramref name="index"/> in <see cref="Paths"/> (or the start, before the first).</summary>
    public long PathLastHeardAt(int index) => _detectors[index].LastHeard;

    /// <summary>Records a heartbeat; true when it queued a change: the path came up, and with it perhaps the peer, or the peer restarted.</summary>
    /// <param name="path">The path it arrived on.</param>
    /// <param name="incarnation">The sender's incarnation in the frame.</param>
    /// <param name="now">When it arrived (monotonic timestamp).</param>
    /// <param name="changes">Where changes are queued, path before peer.</param>
    /// <param name="authenticated">
    /// Whether the frame's tag was verified. An unauthenticated frame (a key being rolled
    /// out) never moves an incarnation learned from an authenticated one, and an
    /// authenticated frame overrides one learned without authentication: otherwise one
    /// forged frame with a huge incarnation would make every genuine heartbeat look like an
    /// earlier life, and the peer would stay down for good.
    /// </param>
    public bool OnHeartbeat(ushort path, uint incarnation, long now, Queue<LivenessChange> changes, bool authenticated = false)
    {
        ArgumentNullException.ThrowIfNull(changes);
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

        // Heard again but not yet trusted (rise, EX-2): the path stays as it was, and so does
        // a peer that is not up. Suspicion itself is left to Evaluate, at the watch loop's
        // wake-ups, which a rising path makes due at once (its deadline is the past).
        bool trusted = !detector.IsSuspected(now);
        bool queued = false;
        PathState pathPrevious = _pathStates[index];
        if (trusted && pathPrevious != PathState.Up)
        {
            _pathStates[index] = PathState.Up;
            changes.Enqueue(new LivenessChange(new PathTransition(NodeId, path, pathPrevious, PathState.Up, incarnation, 0)));
            queued = true;
        }

        if (State != PeerState.Up && !trusted)
        {
            return queued;
        }

        PeerState previous = State;
        uint previousIncarnation = Incarnation;
        State = PeerState.Up;
        Incarnation = incarnation;

        bool restarted = previousIncarnation != 0 && incarnation > previousIncarnation;
        if (previous == PeerState.Up && !restarted)
        {
            return queued;
        }

        changes.Enqueue(new LivenessChange(new PeerTransition(NodeId, previous, PeerState.Up, incarnation, previousIncarnation, 0)));
        return true;
    }

    /// <summary>
    /// Checks the detectors at <paramref name="now"/>; true when it queued a change: paths
    /// newly suspected, by path id, then the peer's Down once every path is.
    /// </summary>
    public bool Evaluate(long now, Queue<LivenessChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        bool queued = false;
        bool everyPathSuspected = true;
        for (int i = 0; i < _detectors.Length; i++)
        {
            IFailureDetector detector = _detectors[i];
            if (!detector.IsSuspected(now))
            {
                everyPathSuspected = false;
                continue;
            }

            PathState previous = _pathStates[i];
            if (previous != PathState.Suspected)
            {
                _pathStates[i] = PathState.Suspected;
                changes.Enqueue(new LivenessChange(new PathTransition(NodeId, _paths[i], previous, PathState.Suspected, Incarnation, now - detector.LastHeard)));
                queued = true;
            }
        }

        if (!everyPathSuspected || State == PeerState.Down)
        {
            return queued;
        }

        PeerState peerPrevious = State;
        State = PeerState.Down;
        changes.Enqueue(new LivenessChange(new PeerTransition(NodeId, peerPrevious, PeerState.Down, Incarnation, Incarnation, now - LastHeard)));
        return true;
    }
}
