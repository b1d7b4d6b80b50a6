using System.Diagnostics;
using System.Diagnostics.Metrics;
using Failover.Sdk.Liveness;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Telemetry;

/// <summary>
/// The <c>Failover.Sdk</c> meter's instruments, named in the OpenTelemetry style
/// (<c>failover.*</c>, durations in seconds).
/// </summary>
/// <remarks>
/// Tag values are cached strings so that recording on the heartbeat path boxes and
/// allocates nothing.
/// </remarks>
internal sealed class FailoverMetrics
{
    public const string MeterName = "Failover.Sdk";

    /// <summary>Instruments on a meter nobody listens to: for components built without DI.</summary>
    public static readonly FailoverMetrics Disabled = new(new Meter(MeterName));

    private static readonly string[] FrameTypeNames = BuildNames<FrameType>();
    private static readonly string[] RejectReasonNames = BuildNames<FrameRejectReason>();

    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesRejected;
    private readonly Counter<long> _sendFailures;
    private readonly Counter<long> _peerTransitions;
    private readonly Counter<long> _pathTransitions;
    private readonly UpDownCounter<long> _peersUp;
    private readonly Histogram<double> _detectionTime;
    private readonly Counter<long> _leasesLost;
    private readonly Counter<long> _termsStarted;
    private readonly UpDownCounter<long> _workloadsOwned;
    private readonly Counter<long> _swaps;
    private readonly Histogram<double> _swapDuration;

    public FailoverMetrics(IMeterFactory meterFactory)
        : this(meterFactory.Create(MeterName))
    {
    }

    private FailoverMetrics(Meter meter)
    {
        _framesSent = meter.CreateCounter<long>("failover.frame.sent", "{frame}", "Frames sent, by path and frame type.");
        _framesReceived = meter.CreateCounter<long>("failover.frame.received", "{frame}", "Frames received and accepted, by path and frame type.");
        _framesRejected = meter.CreateCounter<long>("failover.frame.rejected", "{frame}", "Inputs rejected by the frame reader, by path and reason.");
        _sendFailures = meter.CreateCounter<long>("failover.frame.send_failures", "{frame}", "Sends that failed (no route, socket error), by path.");
        _peerTransitions = meter.CreateCounter<long>("failover.peer.transitions", "{transition}", "Peers changing state, by new state (up, down).");
        _pathTransitions = meter.CreateCounter<long>("failover.path.transitions", "{transition}", "Paths to a peer changing state, by path and new state (up, suspected).");
        _peersUp = meter.CreateUpDownCounter<long>("failover.peer.up", "{peer}", "Peers currently considered up.");
        _detectionTime = meter.CreateHistogram<double>("failover.peer.silence.duration", "s", "Silence before a peer was declared down: time since its last heartbeat.");
        _leasesLost = meter.CreateCounter<long>("failover.lease.lost", "{lease}", "Leases this agent lost before it stopped: not renewed in time, or gone from the store.");
        _termsStarted = meter.CreateCounter<long>("failover.ownership.acquired", "{term}", "Workloads this agent became the owner of.");
        _workloadsOwned = meter.CreateUpDownCounter<long>("failover.ownership.held", "{workload}", "Workloads this agent owns now.");
        _swaps = meter.CreateCounter<long>("failover.swap.finished", "{swap}", "Process swaps this agent ran, by outcome (completed, abandoned).");
        _swapDuration = meter.CreateHistogram<double>("failover.swap.duration", "s", "From a swap's detection to its last step.");
    }

    public static string PathTag(ushort pathId) => pathId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void FrameSent(string path, FrameType type) =>
        _framesSent.Add(1, new TagList { { "failover.path", path }, { "failover.frame.type", Name(FrameTypeNames, (int)type) } });

    public void FrameReceived(string path, FrameType type) =>
        _framesReceived.Add(1, new TagList { { "failover.path", path }, { "failover.frame.type", Name(FrameTypeNames, (int)type) } });

    public void FrameRejected(string path, FrameRejectReason reason) =>
        _framesRejected.Add(1, new TagList { { "failover.path", path }, { "failover.reject.reason", Name(RejectReasonNames, (int)reason) } });

    public void SendFailed(string path) =>
        _sendFailures.Add(1, new TagList { { "failover.path", path } });

    public void LeaseLost() => _leasesLost.Add(1);

    public void OwnershipAcquired()
    {
        _termsStarted.Add(1);
        _workloadsOwned.Add(1);
    }

    public void OwnershipEnded() => _workloadsOwned.Add(-1);

    public void SwapFinished(bool completed, TimeSpan duration)
    {
        var tags = new TagList { { "failover.swap.outcome", completed ? "completed" : "abandoned" } };
        _swaps.Add(1, tags);
        _swapDuration.Record(duration.TotalSeconds, tags);
    }

    public void PeerUp()
    {
        _peerTransitions.Add(1, new KeyValuePair<string, object?>("failover.peer.state", "up"));
        _peersUp.Add(1);
    }

    public void PeerDown(TimeSpan silence, bool wasUp)
    {
        _peerTransitions.Add(1, new KeyValuePair<string, object?>("failover.peer.state", "down"));
        if (wasUp)
        {
            _peersUp.Add(-1);
        }

        _detectionTime.Record(silence.TotalSeconds);
    }

    /// <remarks>Paths change state rarely, so the tag string made here costs nothing that matters.</remarks>
    public void PathTransition(ushort pathId, PathState current) =>
        _pathTransitions.Add(1, new TagList { { "failover.path", PathTag(pathId) }, { "failover.path.state", current == PathState.Suspected ? "suspected" : "up" } });

    private static string Name(string[] names, int index) => (uint)index < (uint)names.Length ? names[index] : "unknown";

    private static string[] BuildNames<T>()
        where T : struct, Enum
    {
        T[] values = Enum.GetValues<T>();
        int max = 0;
        foreach (T value in values)
        {
            max = Math.Max(max, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
        }

        var names = new string[max + 1];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = "unknown";
        }

        foreach (T value in values)
        {
            names[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = ToSnakeCase(value.ToString());
        }

        return names;
    }

    private static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
