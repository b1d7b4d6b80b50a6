using System.Globalization;
using System.Text.Json.Nodes;
using Failover.Sdk.Configuration;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Tests.Support;

/// <summary>A process workload of an <see cref="AgentCluster"/>: the TestWorkload program in a mode.</summary>
/// <param name="Id">The workload id.</param>
/// <param name="HomeNode">The node it starts on.</param>
/// <param name="Mode">The TestWorkload mode and its arguments, e.g. <c>run</c>.</param>
internal sealed record ClusterWorkload(string Id, uint HomeNode, params string[] Mode);

/// <summary>The settings file every agent of an <see cref="AgentCluster"/> is given.</summary>
internal sealed class ClusterSettings
{
    public int Nodes { get; init; } = 3;

    public required IReadOnlyList<ClusterWorkload> Workloads { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public int MissedHeartbeats { get; init; } = 3;

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public int MissedProbes { get; init; } = 3;

    /// <summary>Short, so a frozen workload (SIGTERM cannot act on it) is killed soon.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMilliseconds(300);

    public int CommandAttempts { get; init; } = 3;

    public TimeSpan MonitorReadyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public JsonObject ToJson()
    {
        var workloads = new JsonArray();
        foreach (ClusterWorkload workload in Workloads)
        {
            workloads.Add(new JsonObject
            {
                [nameof(FailoverWorkloadOptions.Id)] = workload.Id,
                [nameof(FailoverWorkloadOptions.HomeNode)] = workload.HomeNode,
                [nameof(FailoverWorkloadOptions.Process)] = new JsonObject
                {
                    [nameof(FailoverProcessOptions.FileName)] = AgentCluster.TestWorkloadPath,
                    [nameof(FailoverProcessOptions.Arguments)] = new JsonArray([.. workload.Mode.Select(m => (JsonNode)m)]),
                    [nameof(FailoverProcessOptions.StopTimeout)] = Time(StopTimeout),
                },
                [nameof(FailoverWorkloadOptions.Probe)] = new JsonObject
                {
                    [nameof(FailoverProbeOptions.Kind)] = nameof(WorkloadProbeKind.KeyResponse),
                    [nameof(FailoverProbeOptions.Interval)] = Time(ProbeInterval),
                    [nameof(FailoverProbeOptions.MissedProbes)] = MissedProbes,
                },
            });
        }

        return new JsonObject
        {
            [FailoverOptions.SectionName] = new JsonObject
            {
                [nameof(FailoverOptions.Transport)] = nameof(FailoverTransportKind.Udp),
                [nameof(FailoverOptions.HeartbeatInterval)] = Time(HeartbeatInterval),
                [nameof(FailoverOptions.MissedHeartbeats)] = MissedHeartbeats,
                [nameof(FailoverOptions.Swap)] = new JsonObject
                {
                    [nameof(FailoverSwapOptions.CommandTimeout)] = Time(CommandTimeout),
                    [nameof(FailoverSwapOptions.CommandAttempts)] = CommandAttempts,
                    [nameof(FailoverSwapOptions.MonitorReadyTimeout)] = Time(MonitorReadyTimeout),
                },
                [nameof(FailoverOptions.Workloads)] = workloads,
            },
        };
    }

    private static string Time(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);
}
