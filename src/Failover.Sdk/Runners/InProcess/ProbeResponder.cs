using Failover.Sdk.Workloads;

namespace Failover.Sdk.Runners;

/// <summary>
/// Answers probes for an in-process run (FS-4). The run's code shares the agent's process, so
/// the runner answers on its behalf while the run is alive; once the run ends or is being
/// stopped it answers nothing, and the monitor sees the silence.
/// </summary>
internal sealed class ProbeResponder
{
    private readonly WorkloadDescriptor _workload;
    private readonly IWorkloadSignals _signals;
    private volatile bool _closed;

    public ProbeResponder(WorkloadDescriptor workload, IWorkloadSignals signals)
    {
        _workload = workload;
        _signals = signals;
    }

    public void Answer(UInt128 key)
    {
        if (!_closed)
        {
            _signals.OnProbeAnswered(key, ProbeDigest.Compute(_workload.ProbeSecret, _workload.WireId, key));
        }
    }

    /// <summary>No probe is answered from now on.</summary>
    public void Close() => _closed = true;
}
