using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Network;
using Failover.Sdk.Simulation.Nodes;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Time;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// Coordination in one run: the store on its host node, every node's part (its processes'
/// coordinators and campaigns), and the monitor that checks them. Built only when the scenario
/// asks for coordination; without it a run has no store, no coordinator and no extra timer.
/// </summary>
internal sealed class CoordinationCluster : IDisposable
{
    private Exception? _failure;

    public CoordinationCluster(CoordinationDefinition definition, IReadOnlyDictionary<uint, SimulatedNode> nodes, VirtualTimeProvider time, SimulatedNetwork network, SimulationRandom random, SimulationRecorder recorder)
    {
        Definition = definition;
        Recorder = recorder;
        SimulatedNode host = nodes[StoreHost(definition, nodes.Values.Select(n => n.Definition))];
        Store = new SimulatedStore(host, time, network, random);
        host.HostedStore = Store;

        var campaigns = nodes.Keys.ToDictionary(id => id, _ => new List<(string, int)>());
        foreach (WorkloadDefinition workload in definition.Workloads)
        {
            IReadOnlyList<uint> candidates = CandidatesOf(workload, nodes.Values.Select(n => n.Definition));
            for (int rank = 0; rank < candidates.Count; rank++)
            {
                campaigns[candidates[rank]].Add((workload.Id, rank));
            }
        }

        Nodes = [.. nodes.Values.OrderBy(n => n.Id).Select(n => n.Coordination = new NodeCoordination(this, n, [.. campaigns[n.Id]]))];
        Monitor = new OwnershipMonitor(this, definition.Workloads.Select(w => w.Id));
    }

    public CoordinationDefinition Definition { get; }

    public SimulationRecorder Recorder { get; }

    public SimulatedStore Store { get; }

    public OwnershipMonitor Monitor { get; }

    /// <summary>Every node's part, by node id.</summary>
    public IReadOnlyList<NodeCoordination> Nodes { get; }

    /// <summary>The store's host: the one named, else the lowest-id manager, else the lowest id.</summary>
    public static uint StoreHost(CoordinationDefinition definition, IEnumerable<NodeDefinition> nodes)
    {
        NodeDefinition[] ordered = [.. nodes.OrderBy(n => n.Id)];
        return definition.StoreNode ?? (ordered.FirstOrDefault(n => n.Role == NodeRole.Manager) ?? ordered[0]).Id;
    }

    /// <summary>The workload's candidates in order of preference: as listed, else the application nodes, else every node, by id.</summary>
    public static IReadOnlyList<uint> CandidatesOf(WorkloadDefinition workload, IEnumerable<NodeDefinition> nodes)
    {
        if (workload.Candidates is { } listed)
        {
            return listed;
        }

        NodeDefinition[] ordered = [.. nodes.OrderBy(n => n.Id)];
        uint[] applications = [.. ordered.Where(n => n.Role == NodeRole.Application).Select(n => n.Id)];
        return applications.Length > 0 ? applications : [.. ordered.Select(n => n.Id)];
    }

    /// <summary>A campaign failed unexpectedly: the run stops at the end of its current step.</summary>
    public void Fail(Exception error) => _failure ??= error;

    /// <exception cref="InvalidOperationException">A campaign failed unexpectedly.</exception>
    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new InvalidOperationException($"Coordination failed in the simulation: {failure.Message}", failure);
        }
    }

    public void Dispose() => Store.Dispose();
}
