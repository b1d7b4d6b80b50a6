namespace Failover.Sdk.Runners;

/// <summary>
/// What a running workload tells its node's agent, which relays it to the workload's
/// monitor. Called on any thread; implementations are quick and never throw.
/// </summary>
internal interface IWorkloadSignals
{
    /// <summary>The workload answered <paramref name="key"/> with <paramref name="response"/> (right or wrong: the monitor judges).</summary>
    void OnProbeAnswered(UInt128 key, UInt128 response);

    /// <summary>The workload sent a heartbeat (FS-5).</summary>
    void OnHeartbeat();
}
