using Failover.Sdk.Workloads;

namespace Failover.Sdk.Configuration;

/// <summary>How a workload's monitor checks it (FS-4, FS-5).</summary>
public sealed class FailoverProbeOptions
{
    /// <summary>Key/response probes or heartbeats. Default <see cref="WorkloadProbeKind.KeyResponse"/>.</summary>
    public WorkloadProbeKind Kind { get; set; } = WorkloadProbeKind.KeyResponse;

    /// <summary>How often a key is sent, or how often the workload heartbeats. Default 1 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an answer to a key may take. When unset, <see cref="Interval"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The workload is failed after this many probes in a row go unanswered (or intervals without a heartbeat). Default 3.</summary>
    public int MissedProbes { get; set; } = 3;

    /// <summary>
    /// The secret the predefined response is computed with, base64, at least 16 bytes once
    /// decoded. When unset, the workload id's UTF-8 bytes: the response still proves that
    /// the workload itself answered this key, but anyone who knows the id could compute it.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The answer timeout in effect.</summary>
    internal TimeSpan EffectiveTimeout => Timeout ?? Interval;
}
