using System.Globalization;
using System.Net;

namespace Failover.Sdk.Workloads;

/// <summary>
/// The environment variables through which an agent tells a process workload who it is and
/// how to reach its local channel: the process runner sets them, <see cref="WorkloadClient"/>
/// reads them. Both ends of that contract live here.
/// </summary>
internal static class WorkloadEnvironment
{
    /// <summary>The workload's id.</summary>
    public const string WorkloadId = "FAILOVER_WORKLOAD_ID";

    /// <summary>The workload's wire id, decimal.</summary>
    public const string WireId = "FAILOVER_WORKLOAD_WIRE_ID";

    /// <summary>The agent's local channel, <c>127.0.0.1:port</c>.</summary>
    public const string Endpoint = "FAILOVER_WORKLOAD_ENDPOINT";

    /// <summary>The channel's frame authentication key, base64.</summary>
    public const string ChannelKey = "FAILOVER_WORKLOAD_CHANNEL_KEY";

    /// <summary>The secret of the predefined probe response, base64.</summary>
    public const string ProbeSecret = "FAILOVER_WORKLOAD_PROBE_SECRET";

    /// <summary>The heartbeat interval in milliseconds; set only in heartbeat mode.</summary>
    public const string HeartbeatMilliseconds = "FAILOVER_WORKLOAD_HEARTBEAT_MS";

    /// <summary>The fencing token of this run, decimal.</summary>
    public const string FencingToken = "FAILOVER_FENCING_TOKEN";

    /// <summary>The node the run is on, decimal.</summary>
    public const string NodeId = "FAILOVER_NODE_ID";

    /// <summary>Every variable above, so that none leaks from the agent's own environment into a workload's.</summary>
    public static readonly IReadOnlyList<string> All =
        [WorkloadId, WireId, Endpoint, ChannelKey, ProbeSecret, HeartbeatMilliseconds, FencingToken, NodeId];

    /// <summary>The variables for one run.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="channel">The local channel's endpoint.</param>
    /// <param name="channelKey">The local channel's key.</param>
    /// <param name="nodeId">The node the run is on.</param>
    /// <param name="fencingToken">The run's fencing token.</param>
    public static Dictionary<string, string> For(WorkloadDescriptor workload, IPEndPoint channel, byte[] channelKey, uint nodeId, long fencingToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WorkloadId] = workload.Id,
            [WireId] = workload.WireId.ToString(CultureInfo.InvariantCulture),
            [Endpoint] = channel.ToString(),
            [ChannelKey] = Convert.ToBase64String(channelKey),
            [ProbeSecret] = Convert.ToBase64String(workload.ProbeSecret),
            [FencingToken] = fencingToken.ToString(CultureInfo.InvariantCulture),
            [NodeId] = nodeId.ToString(CultureInfo.InvariantCulture),
        };
        if (workload.Options.Probe.Kind == WorkloadProbeKind.Heartbeat)
        {
            long milliseconds = Math.Max(1, (long)Math.Round(workload.Options.Probe.Interval.TotalMilliseconds));
            variables[HeartbeatMilliseconds] = milliseconds.ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }
}
