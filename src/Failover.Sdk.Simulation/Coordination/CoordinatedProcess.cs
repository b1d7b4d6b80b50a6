using Failover.Sdk.Coordination;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Nodes;

namespace Failover.Sdk.Simulation.Coordination;

/// <summary>
/// One life of a node's agent process, as far as coordination goes: the store client it talks
/// through, its real <see cref="FailoverCoordinator"/>, and a campaign per workload it is a
/// candidate for, each running the workload (a write to the workload's fenced resource every
/// <see cref="Scenarios.CoordinationDefinition.WriteInterval"/>) while it owns it.
/// </summary>
/// <remarks>
/// A crash ends the process at once (<see cref="Die"/>): from then on nothing of it reaches the
/// store, the journal, the monitor or the resources, however its remains unwind.
/// </remarks>
#pragma warning disable CA1001 // _stopping is never disposed: the remains of a dead process may still hold its token.
internal sealed class CoordinatedProcess
#pragma warning restore CA1001
{
    private readonly CoordinationCluster _cluster;
    private readonly SimulatedNode _node;
    private readonly SortedDictionary<string, long> _terms = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public CoordinatedProcess(CoordinationCluster cluster, SimulatedNode node)
    {
        _cluster = cluster;
        _node = node;
        Client = new SimulatedStoreClient(cluster.Store, node.Id, node.Clock);
        Logs = new CoordinatorJournal(this);
    }

    public uint NodeId => _node.Id;

    public bool IsDead { get; private set; }

    public SimulatedStoreClient Client { get; }

    public CoordinatorJournal Logs { get; }

    /// <summary>The process's coordinator, once started.</summary>
    public FailoverCoordinator? Coordinator { get; private set; }

    /// <summary>Starts the coordinator (its lease session) and the campaigns, the k-th candidate of a workload k staggers late.</summary>
    public void Start(FailoverCoordinator coordinator, IEnumerable<(string Workload, int Rank)> campaigns)
    {
        Coordinator = coordinator;
        Task started = coordinator.StartAsync(CancellationToken.None);
        if (!started.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException($"The coordinator of node {NodeId} did not start synchronously under the simulator.");
        }

        foreach ((string workload, int rank) in campaigns)
        {
            _ = CampaignAsync(coordinator, workload, _cluster.Definition.CampaignStagger * rank);
        }
    }

    /// <summary>The process dies: no goodbye reaches the store, and its terms end in the journal with <paramref name="cause"/>.</summary>
    public void Die(string cause, bool record)
    {
        if (IsDead)
        {
            return;
        }

        IsDead = true;
        Client.Kill();
        if (record)
        {
            foreach ((string workload, long token) in _terms)
            {
                _cluster.Recorder.Add(at => new OwnershipEnded(at, NodeId, workload, token, cause));
            }
        }

        _terms.Clear();
        _stopping.Cancel(); // the campaigns' remains unwind now, inline, reaching nothing
    }

    /// <summary>The coordinator said it lost a lease.</summary>
    public void OnLeaseLost(long leaseId, string reason) => _cluster.Recorder.Add(at => new LeaseLost(at, NodeId, leaseId, reason));

    /// <summary>The coordinator said a term ended.</summary>
    public void OnTermEnded(string workload, long token, string reason)
    {
        _terms.Remove(workload);
        _cluster.Recorder.Add(at => new OwnershipEnded(at, NodeId, workload, token, reason));
    }

    private async Task CampaignAsync(FailoverCoordinator coordinator, string workload, TimeSpan stagger)
    {
        try
        {
            if (stagger > TimeSpan.Zero)
            {
                await TokenTasks.DelayAsync(stagger, _node.Clock, _stopping.Token).ConfigureAwait(false);
            }

            await coordinator.RunAsOwnerAsync(workload, term => RunTermAsync(workload, term), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The process died.
        }
#pragma warning disable CA1031 // A campaign that fails is a simulator or coordinator bug: the run reports it instead of losing it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!IsDead)
            {
                _cluster.Fail(new InvalidOperationException($"The campaign of node {NodeId} for workload {workload} failed.", ex));
            }
        }
    }

    /// <summary>
    /// The workload, for one term: it registers the term's token with the workload's fenced
    /// resource at once (as a real one would before touching it), then writes under it every
    /// interval until the term ends. A refused write means a later owner exists: it stops acting
    /// and leaves the term to end.
    /// </summary>
    private async Task RunTermAsync(string workload, OwnershipTerm term)
    {
        if (IsDead)
        {
            return;
        }

        _terms[workload] = term.FencingToken;
        _cluster.Recorder.Add(at => new OwnershipAcquired(at, NodeId, workload, term.FencingToken));
        _cluster.Monitor.OnTermBegan(NodeId, term);
        TimeSpan interval = _cluster.Definition.WriteInterval;
        try
        {
            // Bounded by the term: one write per interval until it ends or a write is refused.
            while (!term.Ended.IsCancellationRequested && Write(workload, term))
            {
                await TokenTasks.DelayAsync(interval, _node.Clock, term.Ended).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The coordinator would take it for the workload failing and carry on: it is a simulator bug.
            _cluster.Fail(new InvalidOperationException($"The simulated workload {workload} failed on node {NodeId}.", ex));
            throw;
        }
    }

    private bool Write(string workload, OwnershipTerm term)
    {
        if (IsDead)
        {
            return false;
        }

        FencingTokenGuard resource = _cluster.Monitor.Resource(workload);
        bool accepted = resource.TryAccept(term.FencingToken);
        if (!accepted)
        {
            long newest = resource.Newest;
            _cluster.Recorder.Add(at => new FencedWriteRefused(at, NodeId, workload, term.FencingToken, newest));
        }

        _cluster.Monitor.OnWrite(NodeId, term, accepted);
        return accepted;
    }
}
