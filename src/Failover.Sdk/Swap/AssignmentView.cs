namespace Failover.Sdk.Swap;

/// <summary>
/// Where this node believes each workload runs and is monitored: the start placement, then
/// what the swaps and commands it sees tell it. Only a hint for placing by load; the
/// coordination store is the truth about who runs what.
/// </summary>
internal sealed class AssignmentView
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (uint Runner, uint Monitor)> _assignments = new(StringComparer.Ordinal);

    public AssignmentView()
    {
    }

    public AssignmentView(IEnumerable<InitialPlacement> placements)
    {
        foreach (InitialPlacement placement in placements)
        {
            _assignments[placement.WorkloadId] = (placement.Runner, placement.Monitor);
        }
    }

    public uint RunnerOf(string workloadId)
    {
        lock (_gate)
        {
            return _assignments.GetValueOrDefault(workloadId).Runner;
        }
    }

    public uint MonitorOf(string workloadId)
    {
        lock (_gate)
        {
            return _assignments.GetValueOrDefault(workloadId).Monitor;
        }
    }

    public void SetRunner(string workloadId, uint node) => Update(workloadId, a => (node, a.Monitor));

    public void SetMonitor(string workloadId, uint node) => Update(workloadId, a => (a.Runner, node));

    /// <summary>Forgets the runner if it is still <paramref name="node"/>.</summary>
    public void ClearRunner(string workloadId, uint node) => Update(workloadId, a => a.Runner == node ? (0, a.Monitor) : a);

    public int RunningCount(uint node)
    {
        lock (_gate)
        {
            return _assignments.Values.Count(a => a.Runner == node);
        }
    }

    public int MonitoringCount(uint node)
    {
        lock (_gate)
        {
            return _assignments.Values.Count(a => a.Monitor == node);
        }
    }

    private void Update(string workloadId, Func<(uint Runner, uint Monitor), (uint Runner, uint Monitor)> change)
    {
        lock (_gate)
        {
            _assignments[workloadId] = change(_assignments.GetValueOrDefault(workloadId));
        }
    }
}
