using Failover.Sdk.Runners;

namespace Failover.Sdk.Workloads;

/// <summary>
/// A run of a workload on this node as its agent sees it: the runner's instance, the
/// fencing token it was started with, and the monitors that asked about it lately, to whom its
/// answers and heartbeats are relayed.
/// </summary>
internal sealed class WorkloadRun : IWorkloadSignals
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, long> _askers = [];
    private readonly Action<WorkloadRun, uint, UInt128, UInt128> _relayAnswer;
    private readonly Action<WorkloadRun, uint> _relayHeartbeat;
    private readonly long _askerLifetime;

    public WorkloadRun(WorkloadDescriptor workload, long fencingToken, long startedAt, long askerLifetime, CancellationTokenSource stop, Action<WorkloadRun, uint, UInt128, UInt128> relayAnswer, Action<WorkloadRun, uint> relayHeartbeat, TimeProvider time)
    {
        Workload = workload;
        FencingToken = fencingToken;
        StartedAt = startedAt;
        _askerLifetime = askerLifetime;
        _relayAnswer = relayAnswer;
        _relayHeartbeat = relayHeartbeat;
        Time = time;
        LastAsked = startedAt;
        Stop = stop;
    }

    public WorkloadDescriptor Workload { get; }

    /// <summary>The node the run is on, this node.</summary>
    public required uint NodeId { get; init; }

    public long FencingToken { get; }

    public long StartedAt { get; }

    private TimeProvider Time { get; }

    /// <summary>The instance, once the runner has started it.</summary>
    public IWorkloadInstance? Instance { get; set; }

    /// <summary>Ends the run's ownership term, which stops it.</summary>
    public CancellationTokenSource Stop { get; }

    /// <summary>Completes when the run is over and its ownership released.</summary>
    public TaskCompletionSource Finished { get; } = new();

    /// <summary>When a monitor on another node last probed or subscribed.</summary>
    public long LastAsked { get; private set; }

    /// <summary>The node that probed last: the run's monitor as far as this node knows.</summary>
    public uint MonitorNode { get; set; }

    /// <summary>Not before this timestamp does the runner look for a new monitor again.</summary>
    public long MonitorSearchAfter { get; set; }

    /// <summary>How many failures in a row preceded this run (carried by the start command).</summary>
    public int FailureStreak { get; init; }

    /// <summary>Whether a new monitor is being placed for this run.</summary>
    public bool PlacingMonitor { get; set; }

    /// <summary>A monitor on <paramref name="node"/> probed (or, with key zero, subscribed to heartbeats).</summary>
    public void OnAsked(uint node, UInt128 key, long now)
    {
        lock (_gate)
        {
            _askers[node] = now;
            MonitorNode = node;
            if (node != NodeId)
            {
                // A monitor on this very node (a swap's last resort) does not meet FS-1: the
                // runner keeps looking for a monitor elsewhere as though nobody asked.
                LastAsked = now;
            }
        }

        if (key != UInt128.Zero)
        {
            Instance?.Probe(key);
        }
    }

    void IWorkloadSignals.OnProbeAnswered(UInt128 key, UInt128 response)
    {
        foreach (uint node in CurrentAskers())
        {
            _relayAnswer(this, node, key, response);
        }
    }

    void IWorkloadSignals.OnHeartbeat()
    {
        foreach (uint node in CurrentAskers())
        {
            _relayHeartbeat(this, node);
        }
    }

    private uint[] CurrentAskers()
    {
        long now = Time.GetTimestamp();
        lock (_gate)
        {
            // Forget monitors that stopped asking: a monitor that moved away gets nothing more.
            foreach (uint stale in _askers.Where(a => now - a.Value > _askerLifetime).Select(a => a.Key).ToArray())
            {
                _askers.Remove(stale);
            }

            return [.. _askers.Keys];
        }
    }
}
