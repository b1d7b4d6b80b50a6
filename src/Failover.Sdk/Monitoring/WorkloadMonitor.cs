using Failover.Sdk.Workloads;

namespace Failover.Sdk.Monitoring;

/// <summary>
/// One monitor of one workload run on another node (FS-1), as a state machine fed
/// timestamps: it owns no timer and sends nothing itself, so the agent drives it and the
/// simulator runs it unchanged. <see cref="Tick"/> is called every probe interval.
/// </summary>
/// <remarks>
/// Key/response (FS-4): each tick sends a fresh key; an answer must come before the timeout and
/// equal the predefined response. Heartbeats (FS-5): each tick renews a subscription (a probe
/// with key zero) that tells the runner's agent where to relay the workload's heartbeats.
/// Before its first good answer the monitor allows the run the ready timeout to come up.
/// </remarks>
internal sealed class WorkloadMonitor
{
    private readonly long _missLimitTicks;
    private readonly long _timeoutTicks;
    private readonly long _readyTicks;
    private readonly long _createdAt;
    private readonly TimeSpan _readyTimeout;
    private readonly long _frequency;
    private UInt128 _outstandingKey;
    private long _outstandingSentAt;
    private long _outstandingDeadline;
    private long _lastHeartbeat;
    private int _misses;
    private string? _lastMiss;

    public WorkloadMonitor(WorkloadDescriptor workload, uint runnerNode, long fencingToken, int failureStreak, long now, TimeSpan readyTimeout, long timestampFrequency)
    {
        Workload = workload;
        RunnerNode = runnerNode;
        FencingToken = fencingToken;
        FailureStreak = failureStreak;
        _createdAt = now;
        _timeoutTicks = Ticks(workload.Options.Probe.EffectiveTimeout, timestampFrequency);
        _missLimitTicks = Ticks(workload.Options.Probe.Interval * workload.Options.Probe.MissedProbes, timestampFrequency);
        _readyTicks = Ticks(readyTimeout, timestampFrequency);
        _readyTimeout = readyTimeout;
        _frequency = timestampFrequency;
    }

    public WorkloadDescriptor Workload { get; }

    /// <summary>The node the watched run is on.</summary>
    public uint RunnerNode { get; }

    /// <summary>The token of the watched run; 0 until learned from its first answer.</summary>
    public long FencingToken { get; private set; }

    /// <summary>Failures in a row before this run (<see cref="Swap.RestartDamping"/>).</summary>
    public int FailureStreak { get; }

    /// <summary>Whether a good answer (or heartbeat) arrived since the monitor started.</summary>
    public bool IsOperational => OperationalSince != 0;

    /// <summary>The timestamp of the first good answer; 0 before.</summary>
    public long OperationalSince { get; private set; }

    /// <summary>Why the run is judged failed; null while it is not.</summary>
    public string? Failure { get; private set; }

    /// <summary>Good answers and heartbeats received.</summary>
    public long Answers { get; private set; }

    private bool IsKeyResponse => Workload.Options.Probe.Kind == WorkloadProbeKind.KeyResponse;

    /// <summary>
    /// Judges the silence up to <paramref name="now"/> and returns the key to send next
    /// (<paramref name="freshKey"/>, or the key still awaited while its deadline has not come;
    /// zero for a heartbeat subscription), or null once failed.
    /// </summary>
    public UInt128? Tick(long now, UInt128 freshKey)
    {
        if (Failure is not null)
        {
            return null;
        }

        bool resend = false;
        if (IsKeyResponse)
        {
            // The loop's wake-ups jitter: a tick can come a moment before the key's deadline.
            // Replacing the key then would neither count it missed nor let its answer count, so
            // a frozen run could skip misses tick after tick; it is sent again instead, with its
            // deadline kept, and missed at the first tick past it.
            if (_outstandingKey != UInt128.Zero && now >= _outstandingDeadline)
            {
                Miss($"no answer within {Workload.Options.Probe.EffectiveTimeout.TotalMilliseconds:0.###} ms");
            }
            else
            {
                resend = _outstandingKey != UInt128.Zero;
            }
        }
        else if (IsOperational && now - _lastHeartbeat > _missLimitTicks)
        {
            Failure = $"no heartbeat for {Workload.Options.Probe.MissedProbes} intervals of {Workload.Options.Probe.Interval.TotalMilliseconds:0.###} ms";
            return null;
        }

        if (!IsOperational && now - _createdAt >= _readyTicks)
        {
            Failure = $"no good answer from node {RunnerNode} within the ready timeout of {_readyTimeout.TotalMilliseconds:0.###} ms" + (_lastMiss is null ? "" : $" (last: {_lastMiss})");
            return null;
        }

        if (Failure is not null)
        {
            return null;
        }

        if (!IsKeyResponse)
        {
            return UInt128.Zero;
        }

        if (resend)
        {
            return _outstandingKey;
        }

        // Zero is the subscription key; a fresh key is never zero.
        _outstandingKey = freshKey == UInt128.Zero ? UInt128.One : freshKey;
        _outstandingSentAt = now;
        _outstandingDeadline = now + _timeoutTicks;
        return _outstandingKey;
    }

    /// <summary>An answer from the runner: right, wrong, late (past the timeout: a miss), or for a key no longer awaited (ignored).</summary>
    public void OnProbeReply(UInt128 key, UInt128 response, long token, long now)
    {
        if (Failure is not null || !IsKeyResponse || key == UInt128.Zero || key != _outstandingKey)
        {
            return;
        }

        if (now > _outstandingDeadline)
        {
            // Right or wrong, too late: a run that answers after the timeout is not healthy.
            Miss($"an answer {Milliseconds(now - _outstandingSentAt):0.###} ms after the key, past the {Workload.Options.Probe.EffectiveTimeout.TotalMilliseconds:0.###} ms timeout");
            return;
        }

        _outstandingKey = UInt128.Zero;
        if (response != ProbeDigest.Compute(Workload.ProbeSecret, Workload.WireId, key))
        {
            Miss("a wrong answer to the key");
            return;
        }

        Good(token, now);
    }

    /// <summary>A heartbeat of the run, relayed by its node's agent.</summary>
    public void OnHeartbeat(long token, long now)
    {
        if (Failure is not null || IsKeyResponse)
        {
            return;
        }

        _lastHeartbeat = now;
        Good(token, now);
    }

    /// <summary>The runner reports the run ended by itself: failed now, no need to wait for silence.</summary>
    public void OnRunEnded(long token, string detail)
    {
        if (Failure is null && (FencingToken == 0 || token >= FencingToken))
        {
            Failure = detail;
        }
    }

    private void Good(long token, long now)
    {
        _misses = 0;
        Answers++;
        if (token > FencingToken)
        {
            FencingToken = token;
        }

        if (OperationalSince == 0)
        {
            OperationalSince = now;
        }
    }

    private void Miss(string what)
    {
        _outstandingKey = UInt128.Zero;
        _lastMiss = what;
        // Before the first good answer misses only count against the ready timeout: the run may still be starting.
        if (IsOperational && ++_misses >= Workload.Options.Probe.MissedProbes)
        {
            Failure = $"{_misses} probes in a row failed (last: {what})";
        }
    }

    private double Milliseconds(long ticks) => ticks * 1000.0 / _frequency;

    private static long Ticks(TimeSpan span, long frequency) => (long)(span.TotalSeconds * frequency);
}
