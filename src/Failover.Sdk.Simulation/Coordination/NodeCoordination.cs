using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Simulation.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// A node's part in coordination across its agent's lives: each new process gets a fresh store
/// client and the real coordinator <c>AddFailover()</c> builds, started with the agent; each
/// crash ends it (<see cref="CoordinatedProcess.Die"/>).
/// </summary>
internal sealed class NodeCoordination
{
    private readonly CoordinationCluster _cluster;
    private readonly SimulatedNode _node;
    private readonly (string Workload, int Rank)[] _campaigns;
    private CoordinatedProcess? _next;

    public NodeCoordination(CoordinationCluster cluster, SimulatedNode node, (string Workload, int Rank)[] campaigns)
    {
        _cluster = cluster;
        _node = node;
        _campaigns = campaigns;
    }

    public uint NodeId => _node.Id;

    /// <summary>The running process, or null while none runs.</summary>
    public CoordinatedProcess? Process { get; private set; }

    /// <summary>Wires coordination into the container of the process about to start: the simulated store, the lease settings, the journaling logger.</summary>
    public void Register(IFailoverBuilder builder)
    {
        var process = new CoordinatedProcess(_cluster, _node);
        _next = process;
        builder.Configure(o => _cluster.Definition.ApplyTo(o.Coordination));
        builder.UseCoordinationStore(process.Client);
        builder.Services.AddSingleton<ILoggerFactory>(process.Logs);
    }

    /// <summary>The agent has started: so do its coordinator and campaigns.</summary>
    public void Start(IServiceProvider services)
    {
        CoordinatedProcess process = _next ?? throw new InvalidOperationException($"Node {NodeId}'s process was not registered for coordination.");
        _next = null;
        Process = process;
        process.Start(services.GetRequiredService<FailoverCoordinator>(), _campaigns);
    }

    /// <summary>The process dies, before its container is torn down: see <see cref="CoordinatedProcess.Die"/>.</summary>
    public void Kill(string cause, bool record)
    {
        CoordinatedProcess? process = Process ?? _next;
        Process = null;
        _next = null;
        process?.Die(cause, record);
    }
}
