using Failover.Sdk.Coordination;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Wire;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Swap;

/// <summary>
/// Runs one process swap (FS-6) on the node whose monitor found the workload failed, as an
/// explicit sequence of journaled steps, each bounded in time with a defined outcome when it
/// fails:
/// <list type="number">
/// <item>terminate the run on its node A, only it (FS-8); when A does not answer, go on only
/// once A's lease has expired (fenced: the new node's claim waits for it) or, without a
/// shared store, once no path to A answers at all;</item>
/// <item>start it on the best node B (<see cref="PlacementPolicy.RankRunners"/>): a node that
/// cannot start it is passed over for the next;</item>
/// <item>start a new monitor, on A when it is alive (the seed's swap), on another LAN than B's
/// when there are LANs (FS-9), never on B (FS-1);</item>
/// <item>once the new monitor is operational, stop the old one; when no new monitor comes up,
/// the old one stays and watches B.</item>
/// </list>
/// </summary>
internal sealed class SwapCoordinator
{
    private readonly FailoverWorkloads _node;
    private readonly WorkloadMonitor _monitor;
    private readonly WorkloadDescriptor _workload;
    private readonly List<WorkloadSwapEvent> _steps = [];
    private readonly List<SwapCandidate> _candidates = [];
    private bool _finished;

    public SwapCoordinator(FailoverWorkloads node, WorkloadMonitor monitor)
    {
        _node = node;
        _monitor = monitor;
        _workload = monitor.Workload;
    }

    private string Id => _workload.Id;

    public async Task RunAsync(CancellationToken stopping)
    {
        uint failedNode = _monitor.RunnerNode;
        string reason = _monitor.Failure ?? "failed";
        Step(WorkloadSwapStep.Detected, failedNode, _monitor.FencingToken, reason);
        try
        {
            DampingDecision damping = Damp();
            if (damping.GiveUp)
            {
                _node.StopMonitor(_monitor);
                Abandon(failedNode, $"it failed {damping.Streak} times in a row, each within {_workload.Options.Restart.StableAfter} of its start: left down and reported (EX-2)");
                return;
            }

            if (damping.Delay > TimeSpan.Zero)
            {
                Step(WorkloadSwapStep.Damped, failedNode, _monitor.FencingToken, $"failure {damping.Streak} in a row: waiting {damping.Delay} before moving it (EX-2)");
                await TokenTasks.DelayAsync(damping.Delay, _node.Time, stopping).ConfigureAwait(false);
            }

            if (!await TerminateAsync(failedNode, stopping).ConfigureAwait(false))
            {
                return;
            }

            (uint runner, long token) = await StartAsync(failedNode, damping.Streak, stopping).ConfigureAwait(false);
            if (runner == 0)
            {
                _node.StopMonitor(_monitor);
                return;
            }

            uint newMonitor = await PlaceMonitorAsync(runner, failedNode, token, damping.Streak, stopping).ConfigureAwait(false);
            Step(WorkloadSwapStep.Completed, runner, token, $"{Id} runs on node {runner}, monitored from node {newMonitor}");
            Finish(reason, failedNode, runner, newMonitor, token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Abandon(failedNode, "the agent is stopping");
        }
    }

    private DampingDecision Damp()
    {
        long ranTicks = _monitor.IsOperational ? _node.Time.GetTimestamp() - _monitor.OperationalSince : 0;
        TimeSpan ranFor = TimeSpan.FromSeconds(ranTicks / (double)_node.Time.TimestampFrequency);
        return RestartDamping.OnFailure(_workload.Options.Restart, _monitor.FailureStreak, ranFor);
    }

    /// <summary>Step 1. Returns whether the swap may go on.</summary>
    private async Task<bool> TerminateAsync(uint failedNode, CancellationToken stopping)
    {
        Step(WorkloadSwapStep.Terminating, failedNode, _monitor.FencingToken, $"stopping {Id} on node {failedNode}, and nothing else there (FS-8)");
        var command = new Frame { Command = (byte)SwapCommand.Terminate, WorkloadId = _workload.WireId, FencingEpoch = (ulong)_monitor.FencingToken };
        TimeSpan limit = _workload.Options.Process.StopTimeout + (_node.Options.Swap.CommandTimeout * _node.Options.Swap.CommandAttempts);
        Frame? reply = await _node.Commands.SendAsync(failedNode, command, limit, stopping).ConfigureAwait(false);
        switch ((SwapCommandStatus?)reply?.CommandStatus)
        {
            case SwapCommandStatus.Done:
                Step(WorkloadSwapStep.Terminated, failedNode, _monitor.FencingToken, $"node {failedNode} stopped the run and released it");
                return true;
            case SwapCommandStatus.NotRunning:
                Step(WorkloadSwapStep.Terminated, failedNode, _monitor.FencingToken, $"node {failedNode} no longer runs it");
                return true;
            case SwapCommandStatus.StaleToken:
                // Another swap moved it already; this monitor watched an old run.
                _node.StopMonitor(_monitor);
                Abandon(failedNode, $"node {failedNode} runs a newer run (token {reply!.Value.FencingEpoch}) than the one this monitor watched ({_monitor.FencingToken}); this monitor stops");
                return false;
            case null when _node.IsFenced:
                Step(WorkloadSwapStep.TerminateUnconfirmed, failedNode, _monitor.FencingToken, $"node {failedNode} does not answer: the new node can claim {Id} only once node {failedNode}'s lease has expired, and its stale token is refused after that");
                return true;
            case null when _node.Agent.IsPeerDown(failedNode) || failedNode == _node.NodeId:
                Step(WorkloadSwapStep.TerminateUnconfirmed, failedNode, _monitor.FencingToken, $"node {failedNode} does not answer and no path to it answers: taken as failed (no shared store to fence it)");
                return true;
            default:
                // Without a shared store, a node that is up but silent may still run it: a second copy must not start.
                Abandon(failedNode, reply is null
                    ? $"node {failedNode} is reachable but did not confirm the stop; without a shared store a second copy must not start"
                    : $"node {failedNode} answered {(SwapCommandStatus)reply.Value.CommandStatus}");
                return false;
        }
    }

    /// <summary>Step 2. Returns the node and token of the new run, or (0, 0) when no node could start it.</summary>
    private async Task<(uint Node, long Token)> StartAsync(uint failedNode, int streak, CancellationToken stopping)
    {
        var excluded = new HashSet<uint>();
        // A fenced claim waits for the old lease: the store's time to live and one request on top.
        long claimDeadline = _node.Time.GetTimestamp() + Ticks(_node.Options.Coordination.LeaseTimeToLive + _node.Options.Coordination.RequestTimeout + _node.Options.Swap.CommandTimeout);
        // Bounded: each turn excludes a node, or waits a command timeout before the claim deadline.
        for (int turn = 0; turn < 10_000; turn++)
        {
            PlacementRanking ranking = PlacementPolicy.RankRunners(PlacementSpec.From(_workload.Options), _node.ClusterNodes(everyoneAlive: false), failedNode, _node.NodeId, excluded);
            if (turn == 0)
            {
                _candidates.AddRange(ranking.Candidates.Select(c => new SwapCandidate(c.NodeId, false, c.Rejection)));
            }

            if (ranking.First is not uint target)
            {
                Abandon(failedNode, $"no eligible node can run it: {Rejections(ranking)}");
                return (0, 0);
            }

            Step(WorkloadSwapStep.Starting, target, 0, $"starting {Id} on node {target}" + (turn == 0 ? $" (first of {string.Join(", ", ranking.Eligible)})" : ""));
            var command = new Frame { Command = (byte)SwapCommand.Start, WorkloadId = _workload.WireId, SubjectNode = failedNode, FailureStreak = (byte)Math.Min(streak, byte.MaxValue) };
            Frame? reply = await _node.Commands.SendAsync(target, command, _node.Options.Swap.CommandTimeout * _node.Options.Swap.CommandAttempts, stopping).ConfigureAwait(false);
            var status = (SwapCommandStatus?)reply?.CommandStatus;
            if (status == SwapCommandStatus.Done)
            {
                long token = (long)reply!.Value.FencingEpoch;
                _node.Assignments.SetRunner(Id, target);
                Step(WorkloadSwapStep.Started, target, token, $"node {target} runs {Id} with fencing token {token}");
                return (target, token);
            }

            if (status == SwapCommandStatus.OwnedElsewhere && _node.Time.GetTimestamp() < claimDeadline)
            {
                // The old node's lease has not expired yet: ask again after a while.
                await TokenTasks.DelayAsync(_node.Options.Swap.CommandTimeout, _node.Time, stopping).ConfigureAwait(false);
                continue;
            }

            string why = status is null ? "it did not answer" : $"it answered {status}";
            Step(WorkloadSwapStep.StartFailed, target, 0, $"node {target} could not start {Id}: {why}; trying the next node");
            _candidates.Add(new SwapCandidate(target, false, $"could not start it: {why}"));
            excluded.Add(target);
        }

        Abandon(failedNode, "too many attempts to start it");
        return (0, 0);
    }

    /// <summary>Steps 3 and 4. Returns the node that monitors the new run.</summary>
    private async Task<uint> PlaceMonitorAsync(uint runner, uint failedNode, long token, int streak, CancellationToken stopping)
    {
        var excluded = new HashSet<uint>();
        // Bounded: each turn excludes one more node.
        for (int turn = 0; turn <= _node.Options.Peers.Count + 1; turn++)
        {
            PlacementRanking ranking = PlacementPolicy.RankMonitors(PlacementSpec.From(_workload.Options), _node.ClusterNodes(everyoneAlive: false), runner, failedNode, excluded);
            if (turn == 0)
            {
                _candidates.AddRange(ranking.Candidates.Select(c => new SwapCandidate(c.NodeId, true, c.Rejection)));
            }

            if (ranking.First is not uint target)
            {
                break;
            }

            Step(WorkloadSwapStep.StartingMonitor, target, token, $"starting a monitor of {Id} on node {target}, watching node {runner}");
            if (target == _node.NodeId)
            {
                // This node is the best place for the new monitor too: it re-aims its own.
                _node.StopMonitor(_monitor);
            }

            var command = new Frame { Command = (byte)SwapCommand.StartMonitor, WorkloadId = _workload.WireId, SubjectNode = runner, FencingEpoch = (ulong)token, FailureStreak = (byte)Math.Min(streak, byte.MaxValue) };
            Frame? reply = await _node.Commands.SendAsync(target, command, _node.Options.Swap.MonitorReadyTimeout, stopping).ConfigureAwait(false);
            if (reply?.CommandStatus == (byte)SwapCommandStatus.Done)
            {
                _node.Assignments.SetMonitor(Id, target);
                Step(WorkloadSwapStep.MonitorOperational, target, token, $"the monitor on node {target} had its first good answer from node {runner}");
                if (target != _node.NodeId && _node.StopMonitor(_monitor))
                {
                    Step(WorkloadSwapStep.OldMonitorStopped, _node.NodeId, token, $"the old monitor on node {_node.NodeId} stopped, the new one being operational");
                }

                return target;
            }

            string why = reply is null ? "it did not become operational in time" : $"it answered {(SwapCommandStatus)reply.Value.CommandStatus}";
            Step(WorkloadSwapStep.MonitorFailed, target, token, $"the monitor on node {target} failed: {why}");
            _candidates.Add(new SwapCandidate(target, true, why));
            excluded.Add(target);
        }

        // No new monitor came up: keep the old one, watching the new run (against FS-1 when the
        // run moved to this very node, which is logged; the runner looks for a monitor again).
        _node.StartMonitor(_workload, runner, token, streak);
        Step(WorkloadSwapStep.MonitorFailed, _node.NodeId, token, runner == _node.NodeId
            ? $"no other node could monitor {Id}: node {_node.NodeId} keeps watching it though it runs it here (FS-1 not met until a monitor is placed)"
            : $"no new monitor came up: the old monitor on node {_node.NodeId} now watches node {runner}");
        return _node.NodeId;
    }

    private void Abandon(uint node, string why)
    {
        Step(WorkloadSwapStep.Abandoned, node, 0, why);
        Finish(_monitor.Failure ?? "failed", node, 0, _node.Assignments.MonitorOf(Id), 0);
    }

    private void Finish(string reason, uint from, uint to, uint newMonitor, long token)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _node.Finish(new WorkloadSwapRecord(Id, reason, from, to, _node.NodeId, newMonitor, token, to != 0, [.. _candidates], [.. _steps]));
    }

    private void Step(WorkloadSwapStep step, uint node, long token, string detail)
    {
        var entry = new WorkloadSwapEvent(Id, step, node, token, detail, _node.Time.GetUtcNow());
        _steps.Add(entry);
        _node.Journal(entry);
    }

    private static string Rejections(PlacementRanking ranking) =>
        string.Join("; ", ranking.Candidates.Where(c => !c.IsEligible).Select(c => $"node {c.NodeId}: {c.Rejection}"));

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _node.Time.TimestampFrequency);
}
