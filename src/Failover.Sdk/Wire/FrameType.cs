namespace Failover.Sdk.Wire;

/// <summary>The kind of a frame on the wire; see <c>docs/wire-protocol.md</c>.</summary>
public enum FrameType : byte
{
    /// <summary>A liveness heartbeat between agents (FS-5, FS-12).</summary>
    Heartbeat = 1,

    /// <summary>A key sent to a workload, which must answer with its predefined response (FS-4).</summary>
    Probe = 2,

    /// <summary>A workload's answer to a <see cref="Probe"/>.</summary>
    ProbeReply = 3,

    /// <summary>A probe sent by the diagnostics ladder to find where a fault is (FS-13).</summary>
    DiagnosticProbe = 4,

    /// <summary>The answer to a <see cref="DiagnosticProbe"/>.</summary>
    DiagnosticReply = 5,

    /// <summary>A workload's heartbeat (FS-5), relayed by its node's agent to the workload's monitor.</summary>
    WorkloadHeartbeat = 6,

    /// <summary>A step of the process swap sent to another node's agent (FS-6): terminate, start, start or stop a monitor.</summary>
    WorkloadCommand = 7,

    /// <summary>The answer to a <see cref="WorkloadCommand"/>.</summary>
    WorkloadCommandReply = 8,
}
