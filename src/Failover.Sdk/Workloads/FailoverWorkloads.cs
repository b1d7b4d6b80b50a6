using System.Security.Cryptography;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.Monitoring;
using Failover.Sdk.Runners;
using Failover.Sdk.Swap;
using Failover.Sdk.Telemetry;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Workloads;

/// <summary>
/// The workloads of one node (FS-1, FS-6, FS-7): it runs the workloads placed here, monitors
/// the workloads of other nodes placed under its watch, and when one of those fails it runs
/// the process swap, moving only that workload and its monitor.
/// </summary>
/// <remarks>
/// Registered by <c>AddFailover()</c> and started after the agent and the coordinator. Read
/// <see cref="GetRuns"/> and <see cref="GetMonitors"/> for status; subscribe to
/// <see cref="SwapProgressed"/> and <see cref="SwapCompleted"/> for the journal of every swap,
/// and to <see cref="RunStarted"/>, <see cref="RunEnded"/>, <see cref="MonitorStarted"/> and
/// <see cref="MonitorOperational"/> to follow this node's own runs and monitors.
/// Events are raised on timer or transport threads: keep handlers short.
/// </remarks>
public sealed class FailoverWorkloads : IHostedService, IAsyncDisposable, IFrameHandler
{
    private readonly FailoverOptions _options;
    private readonly FailoverAgent _agent;
    private readonly FailoverCoordinator _coordinator;
    private readonly Dictionary<WorkloadKind, IWorkloadRunner> _runners;
    private readonly IEnumerable<WorkloadCode> _code;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<UInt128> _keys;
    private readonly FailoverMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkloadRun> _runs = new(StringComparer.Ordinal);

    /// <summary>Runs that have ended here and whose ownership is still being released.</summary>
    private readonly Dictionary<string, WorkloadRun> _releasing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkloadMonitor> _monitors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _swapping = new(StringComparer.Ordinal);
    private readonly CommandReplies _replies = new();
    private readonly List<Task> _background = [];
    private readonly CancellationTokenSource _stopping = new();
    private WorkloadCatalog _catalog = WorkloadCatalog.Build([], []);
    private AssignmentView _assignments = new();
    private CommandChannel? _commands;
    private int _disposed;

    internal FailoverWorkloads(
        FailoverOptions options,
        FailoverAgent agent,
        FailoverCoordinator coordinator,
        IEnumerable<IWorkloadRunner> runners,
        IEnumerable<WorkloadCode> code,
        CoordinationStoreScope scope,
        TimeProvider time,
        ILogger logger,
        FailoverMetrics? metrics = null,
        Func<UInt128>? keys = null)
    {
        _metrics = metrics ?? FailoverMetrics.Disabled;
        _options = options;
        _agent = agent;
        _coordinator = coordinator;
        _runners = runners.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Last());
        _code = code;
        IsFenced = scope.IsShared;
        _time = time;
        _logger = logger;
        _keys = keys ?? (() =>
        {
            Span<byte> bytes = stackalloc byte[16];
            RandomNumberGenerator.Fill(bytes);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        });
    }

    /// <summary>Raised at every step of a swap this node runs.</summary>
    public event EventHandler<WorkloadSwapEvent>? SwapProgressed;

    /// <summary>Raised when a swap this node ran has finished, with its explanation record (BY-7).</summary>
    public event EventHandler<WorkloadSwapRecord>? SwapCompleted;

    /// <summary>Raised when a run of a workload has started on this node (for a process workload: its process is up).</summary>
    /// <remarks><see cref="WorkloadRunStatus.MonitorNode"/> is 0: no monitor has asked about the new run yet.</remarks>
    public event EventHandler<WorkloadRunStatus>? RunStarted;

    /// <summary>Raised when a run of a workload on this node has ended, stopped or by itself.</summary>
    public event EventHandler<WorkloadRunEnded>? RunEnded;

    /// <summary>Raised when this node starts monitoring a workload: at start, in a swap, or when a runner asks it to.</summary>
    /// <remarks><see cref="WorkloadMonitorStatus.IsOperational"/> is false: see <see cref="MonitorOperational"/>.</remarks>
    public event EventHandler<WorkloadMonitorStatus>? MonitorStarted;

    /// <summary>Raised when one of this node's monitors has its first good answer from the run it watches.</summary>
    public event EventHandler<WorkloadMonitorStatus>? MonitorOperational;

    /// <summary>This node's id.</summary>
    public uint NodeId => _agent.NodeId;

    /// <summary>Whether swaps are fenced by a coordination store shared with the other nodes (BY-1).</summary>
    public bool IsFenced { get; }

    internal FailoverOptions Options => _options;

    internal FailoverAgent Agent => _agent;

    internal TimeProvider Time => _time;

    internal ILogger Logger => _logger;

    internal WorkloadCatalog Catalog => _catalog;

    internal AssignmentView Assignments => _assignments;

    internal CommandChannel Commands => _commands!;

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>The workloads running on this node.</summary>
    public IReadOnlyList<WorkloadRunStatus> GetRuns()
    {
        lock (_gate)
        {
            return [.. _runs.Values.Where(r => r.Instance is not null).OrderBy(r => r.Workload.Id, StringComparer.Ordinal)
                .Select(r => new WorkloadRunStatus(r.Workload.Id, r.FencingToken, r.Instance!.ProcessId, r.MonitorNode))];
        }
    }

    /// <summary>The workloads this node monitors.</summary>
    public IReadOnlyList<WorkloadMonitorStatus> GetMonitors()
    {
        lock (_gate)
        {
            return [.. _monitors.Values.OrderBy(m => m.Workload.Id, StringComparer.Ordinal)
                .Select(m => new WorkloadMonitorStatus(m.Workload.Id, m.RunnerNode, m.FencingToken, m.IsOperational))];
        }
    }

    /// <summary>Places the workloads and starts those placed here, and the monitors placed here.</summary>
    /// <exception cref="InvalidOperationException">An in-process workload has no code, or the catalog is inconsistent.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _catalog = WorkloadCatalog.Build(_options.Workloads, _code);
        _commands = new CommandChannel(_agent, _time, _options.Swap, ExecuteLocalAsync);
        _agent.SetWorkloadFrameHandler(this);
        if (_catalog.All.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (!IsFenced)
        {
            WorkloadLog.UnfencedSwaps(_logger, NodeId);
        }

        IReadOnlyList<PlacementNode> nodes = ClusterNodes(everyoneAlive: true);
        IReadOnlyList<InitialPlacement> placements = PlacementPolicy.PlaceInitially([.. _catalog.All.Select(w => PlacementSpec.From(w.Options))], nodes);
        _assignments = new AssignmentView(placements);
        var runs = new List<string>();
        var monitors = new List<string>();
        foreach (InitialPlacement placement in placements)
        {
            WorkloadDescriptor workload = _catalog.Find(placement.WorkloadId)!;
            if (placement.Runner == NodeId)
            {
                runs.Add(workload.Id);
                Track(StartRunAsync(workload, failureStreak: 0, onStarted: null, _stopping.Token));
            }

            if (placement.Monitor == NodeId && placement.Runner != 0)
            {
                monitors.Add(workload.Id);
                StartMonitor(workload, placement.Runner, fencingToken: 0, failureStreak: 0);
            }
        }

        Track(WatchRunsAsync(_stopping.Token));
        WorkloadLog.Started(_logger, NodeId, _catalog.All.Count, string.Join(',', runs), string.Join(',', monitors));
        return Task.CompletedTask;
    }

    /// <summary>Stops the monitors, the swaps under way and the workloads running here (each within its stop timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await CancelAsync(_stopping).ConfigureAwait(false);
        WorkloadRun[] runs;
        lock (_gate)
        {
            runs = [.. _runs.Values];
            _monitors.Clear();
        }

        foreach (WorkloadRun run in runs)
        {
            await CancelAsync(run.Stop).ConfigureAwait(false);
        }

        Task[] background;
        lock (_gate)
        {
            background = [.. _background];
        }

        await Task.WhenAll(background).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    void IFrameHandler.OnFrame(in Frame frame, in FrameReceipt receipt)
    {
        switch (frame.Type)
        {
            case FrameType.Probe:
                OnProbe(frame, receipt.ReceivedAt);
                break;
            case FrameType.ProbeReply:
                OnMonitored(frame, receipt.ReceivedAt, (m, f, now) => m.OnProbeReply(f.Key, f.Response, (long)f.FencingEpoch, now));
                break;
            case FrameType.WorkloadHeartbeat:
                OnMonitored(frame, receipt.ReceivedAt, (m, f, now) => m.OnHeartbeat((long)f.FencingEpoch, now));
                break;
            case FrameType.WorkloadCommand:
                OnCommand(frame);
                break;
            case FrameType.WorkloadCommandReply:
                _commands?.OnReply(frame);
                break;
        }
    }

    /// <summary>The nodes of the cluster as placement sees them: this one and every configured peer.</summary>
    internal IReadOnlyList<PlacementNode> ClusterNodes(bool everyoneAlive)
    {
        (int Runs, int Monitors) Load(uint node) => (_assignments.RunningCount(node), _assignments.MonitoringCount(node));
        var nodes = new List<PlacementNode>();
        (int runs, int monitors) = Load(NodeId);
        nodes.Add(new PlacementNode(NodeId, _options.Lan, true, [.. _options.Tags], runs, monitors));
        foreach (IGrouping<uint, FailoverPeerOptions> peer in _options.Peers.GroupBy(p => p.NodeId).OrderBy(g => g.Key))
        {
            FailoverPeerOptions first = peer.First();
            (runs, monitors) = Load(peer.Key);
            nodes.Add(new PlacementNode(peer.Key, first.Lan, everyoneAlive || _agent.IsPeerUp(peer.Key), [.. first.Tags], runs, monitors));
        }

        return nodes;
    }

    /// <summary>Journals a swap step: log, event.</summary>
    internal void Journal(WorkloadSwapEvent step)
    {
        WorkloadLog.SwapStep(_logger, step.WorkloadId, step.Step, step.Node, step.FencingToken, step.Detail);
        Raise(SwapProgressed, step);
    }

    internal void Finish(WorkloadSwapRecord record)
    {
        lock (_gate)
        {
            _swapping.Remove(record.WorkloadId);
        }

        TimeSpan duration = record.Steps.Count == 0 ? TimeSpan.Zero : record.Steps[^1].At - record.Steps[0].At;
        _metrics.SwapFinished(record.Completed, duration);
        SwapTrace.Record(record, duration);
        Raise(SwapCompleted, record);
    }

    /// <summary>Starts (or, for a swap that keeps the old monitor, re-aims) this node's monitor of a workload.</summary>
    internal void StartMonitor(WorkloadDescriptor workload, uint runnerNode, long fencingToken, int failureStreak)
    {
        var monitor = new WorkloadMonitor(workload, runnerNode, fencingToken, failureStreak, _time.GetTimestamp(), _options.Swap.MonitorReadyTimeout, _time.TimestampFrequency);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _monitors[workload.Id] = monitor;
        }

        // A monitor knows where the run it watches is: the load the next placement here counts.
        _assignments.SetRunner(workload.Id, runnerNode);
        _assignments.SetMonitor(workload.Id, NodeId);
        WorkloadLog.MonitorStarted(_logger, NodeId, workload.Id, runnerNode);
        Raise(MonitorStarted, new WorkloadMonitorStatus(workload.Id, runnerNode, fencingToken, IsOperational: false));
        Track(MonitorLoopAsync(monitor, _stopping.Token));
    }

    /// <summary>Stops this node's monitor of a workload, if it is still <paramref name="monitor"/>.</summary>
    internal bool StopMonitor(WorkloadMonitor monitor)
    {
        lock (_gate)
        {
            if (_monitors.TryGetValue(monitor.Workload.Id, out WorkloadMonitor? current) && ReferenceEquals(current, monitor))
            {
                _monitors.Remove(monitor.Workload.Id);
                return true;
            }

            return false;
        }
    }

    internal WorkloadMonitor? MonitorOf(string workloadId)
    {
        lock (_gate)
        {
            return _monitors.GetValueOrDefault(workloadId);
        }
    }

    /// <summary>
    /// Starts a run of <paramref name="workload"/> here: claims it in the store (a fresh fencing
    /// token), starts it with its kind's runner, and keeps it until it ends by itself (then
    /// its monitor is told), is terminated, or the ownership ends. <paramref name="onStarted"/>
    /// learns how the start went: the run, or the status to answer.
    /// </summary>
    internal async Task StartRunAsync(WorkloadDescriptor workload, int failureStreak, Action<WorkloadRun?, SwapCommandStatus>? onStarted, CancellationToken cancellationToken)
    {
        bool reported = false;
        void Report(WorkloadRun? run, SwapCommandStatus status)
        {
            if (!reported)
            {
                reported = true;
                onStarted?.Invoke(run, status);
            }
        }

        if (!_runners.TryGetValue(workload.Kind, out IWorkloadRunner? runner))
        {
            WorkloadLog.StartFailed(_logger, NodeId, workload.Id, new WorkloadStartException(workload.Id, $"no runner for {workload.Kind} workloads is registered"));
            Report(null, SwapCommandStatus.StartFailed);
            return;
        }

        long askerLifetime = Ticks(WorkloadMonitor.SubscriptionLifetime(workload.Options.Probe));
        // The run's own stop: a terminate command cancels it, which ends the ownership term
        // and so releases the workload in the store for the node it moves to.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        WorkloadRun? created = null;
        try
        {
            bool owned = await _coordinator.TryRunOnceAsync(
                workload.Id,
                term =>
                {
                    created = new WorkloadRun(workload, term.FencingToken, _time.GetTimestamp(), askerLifetime, stop, RelayAnswer, RelayHeartbeat, _time) { NodeId = NodeId, FailureStreak = failureStreak };
                    return RunTermAsync(created, runner, term, Report);
                },
                stop.Token).ConfigureAwait(false);
            if (!owned)
            {
                Report(null, SwapCommandStatus.OwnedElsewhere);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Report(null, SwapCommandStatus.Refused);
        }
        catch (InvalidOperationException)
        {
            // A run, or a claim for it, is already under way here.
            Report(null, SwapCommandStatus.Pending);
        }
        catch (CoordinationException ex)
        {
            WorkloadLog.StartFailed(_logger, NodeId, workload.Id, ex);
            Report(null, SwapCommandStatus.StartFailed);
        }
        finally
        {
            // Only now, with the ownership released: a terminate answered earlier would send the
            // next node to claim a workload the store still shows here.
            if (created is not null)
            {
                lock (_gate)
                {
                    if (_releasing.TryGetValue(workload.Id, out WorkloadRun? releasing) && ReferenceEquals(releasing, created))
                    {
                        _releasing.Remove(workload.Id);
                    }
                }

                created.Finished.TrySetResult();
            }

            // A term that ended without a word (the runner threw what its contract does not
            // allow, the coordinator stopped first): the start failed. Unanswered, the swap's
            // Start command would be Pending for good.
            Report(null, SwapCommandStatus.StartFailed);
        }
    }

    private async Task RunTermAsync(WorkloadRun run, IWorkloadRunner runner, OwnershipTerm term, Action<WorkloadRun?, SwapCommandStatus> report)
    {
        WorkloadDescriptor workload = run.Workload;
        lock (_gate)
        {
            _runs[workload.Id] = run;
        }

        using CancellationTokenRegistration stopOnEnd = term.Ended.Register(run.Stop.Cancel);
        try
        {
            try
            {
                run.Instance = await runner.StartAsync(new WorkloadLaunch(workload, NodeId, term.FencingToken, run), run.Stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WorkloadStartException or OperationCanceledException)
            {
                if (ex is WorkloadStartException)
                {
                    WorkloadLog.StartFailed(_logger, NodeId, workload.Id, ex);
                }

                report(null, SwapCommandStatus.StartFailed);
                throw new WorkloadEndedException($"the start failed: {ex.Message}");
            }

            _assignments.SetRunner(workload.Id, NodeId);
            WorkloadLog.RunStarted(_logger, NodeId, workload.Id, term.FencingToken, run.Instance.ProcessId);
            Raise(RunStarted, new WorkloadRunStatus(workload.Id, term.FencingToken, run.Instance.ProcessId, 0));
            report(run, SwapCommandStatus.Done);
            Task<WorkloadExit> exited = run.Instance.Exited;
            await Task.WhenAny(exited, TokenTasks.WhenCancelledAsync(run.Stop.Token)).ConfigureAwait(false);
            if (!exited.IsCompleted)
            {
                TimeSpan grace = workload.Kind == WorkloadKind.Process ? workload.Options.Process.StopTimeout : _options.Coordination.LeaseSafetyMargin;
                WorkloadExit stopped = await run.Instance.StopAsync(grace, CancellationToken.None).ConfigureAwait(false);
                WorkloadLog.RunEnded(_logger, NodeId, workload.Id, term.FencingToken, $"{stopped.Kind}: {stopped.Detail}");
                Raise(RunEnded, new WorkloadRunEnded(workload.Id, term.FencingToken, run.Instance.ProcessId, Stopped: true, $"{stopped.Kind}: {stopped.Detail}"));
                return;
            }

            WorkloadExit exit = exited.Result;
            WorkloadLog.RunEnded(_logger, NodeId, workload.Id, term.FencingToken, $"{exit.Kind}: {exit.Detail}");
            Raise(RunEnded, new WorkloadRunEnded(workload.Id, term.FencingToken, run.Instance.ProcessId, Stopped: false, $"{exit.Kind}: {exit.Detail}"));
            // Tell its monitor at once rather than let it wait for probes to go unanswered.
            uint monitor = run.MonitorNode != 0 ? run.MonitorNode : _assignments.MonitorOf(workload.Id);
            if (monitor != 0)
            {
                var ended = new Frame { Command = (byte)SwapCommand.RunEnded, WorkloadId = workload.WireId, FencingEpoch = (ulong)term.FencingToken };
                Track(_commands!.SendAsync(monitor, ended, _options.Swap.CommandTimeout, _stopping.Token));
            }

            // Thrown so the coordinator releases the ownership now: the workload is to move.
            throw new WorkloadEndedException($"{exit.Kind}: {exit.Detail}");
        }
        finally
        {
            lock (_gate)
            {
                if (_runs.TryGetValue(workload.Id, out WorkloadRun? current) && ReferenceEquals(current, run))
                {
                    // Gone from the runs, not yet from the store: the coordinator releases its
                    // ownership once this returns (TerminateAsync waits for that).
                    _runs.Remove(workload.Id);
                    _releasing[workload.Id] = run;
                }
            }

            _assignments.ClearRunner(workload.Id, NodeId);
            if (run.Instance is not null)
            {
                await run.Instance.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal WorkloadRun? RunOf(string workloadId)
    {
        lock (_gate)
        {
            return _runs.GetValueOrDefault(workloadId);
        }
    }

    private void RelayAnswer(WorkloadRun run, uint node, UInt128 key, UInt128 response) =>
        Send(new Frame { Type = FrameType.ProbeReply, Target = node, WorkloadId = run.Workload.WireId, Key = key, Response = response, FencingEpoch = (ulong)run.FencingToken });

    private void RelayHeartbeat(WorkloadRun run, uint node) =>
        Send(new Frame { Type = FrameType.WorkloadHeartbeat, Target = node, WorkloadId = run.Workload.WireId, FencingEpoch = (ulong)run.FencingToken });

    private void Send(Frame frame)
    {
        if (frame.Target == NodeId)
        {
            // A monitor on this very node (only when a swap kept it against FS-1): no network.
            ((IFrameHandler)this).OnFrame(frame with { Sender = NodeId }, new FrameReceipt(0, false, _time.GetTimestamp()));
            return;
        }

        ValueTask<bool> send = _agent.SendToPeerAsync(frame, _stopping.Token);
        if (!send.IsCompleted)
        {
            Track(send.AsTask());
        }
    }

    private void OnProbe(in Frame frame, long now)
    {
        WorkloadDescriptor? workload = _catalog.Find(frame.WorkloadId);
        WorkloadRun? run = workload is null ? null : RunOf(workload.Id);
        // Not running here: no answer, which is the truth the monitor needs.
        run?.OnAsked(frame.Sender, frame.Key, now);
    }

    private void OnMonitored(in Frame frame, long now, Action<WorkloadMonitor, Frame, long> apply)
    {
        WorkloadDescriptor? workload = _catalog.Find(frame.WorkloadId);
        if (workload is null)
        {
            return;
        }

        WorkloadMonitorStatus? operational = null;
        lock (_gate)
        {
            if (_monitors.TryGetValue(workload.Id, out WorkloadMonitor? monitor) && monitor.RunnerNode == frame.Sender)
            {
                bool was = monitor.IsOperational;
                apply(monitor, frame, now);
                if (!was && monitor.IsOperational)
                {
                    operational = new WorkloadMonitorStatus(workload.Id, monitor.RunnerNode, monitor.FencingToken, IsOperational: true);
                }
            }
        }

        // Outside the lock: a handler must not hold up the other monitors' answers.
        if (operational is not null)
        {
            Raise(MonitorOperational, operational);
        }
    }

    private async Task MonitorLoopAsync(WorkloadMonitor monitor, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(monitor.Workload.Options.Probe.Interval, _time);
        try
        {
            // Bounded by the monitor's life: it ends when stopped, replaced, or the run failed.
            while (true)
            {
                UInt128? key;
                lock (_gate)
                {
                    if (!_monitors.TryGetValue(monitor.Workload.Id, out WorkloadMonitor? current) || !ReferenceEquals(current, monitor))
                    {
                        return;
                    }

                    key = monitor.Tick(_time.GetTimestamp(), _keys());
                }

                if (key is null)
                {
                    OnMonitorFailed(monitor);
                    return;
                }

                Send(new Frame { Type = FrameType.Probe, Target = monitor.RunnerNode, WorkloadId = monitor.Workload.WireId, Key = key.Value, FencingEpoch = (ulong)monitor.FencingToken });
                if (!await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void OnMonitorFailed(WorkloadMonitor monitor)
    {
        lock (_gate)
        {
            if (!_swapping.Add(monitor.Workload.Id))
            {
                return;
            }
        }

        WorkloadLog.WorkloadFailed(_logger, NodeId, monitor.Workload.Id, monitor.RunnerNode, monitor.Failure!);
        Track(new SwapCoordinator(this, monitor).RunAsync(_stopping.Token));
    }

    private void OnCommand(in Frame command)
    {
        if (_replies.TryGetCached(command.Sender, command.RequestId, out Frame cached))
        {
            Send(cached);
            return;
        }

        if (!_replies.TryBegin(command.Sender, command.RequestId))
        {
            // The same command again while it is carried out (say so, so the sender waits on),
            // or carried out since the cache was read (its reply).
            Send(_replies.TryGetCached(command.Sender, command.RequestId, out Frame done) ? done : Reply(command, SwapCommandStatus.Pending, 0));
            return;
        }

        Frame request = command;
        Track(ExecuteAndReplyAsync(request));
    }

    private async Task ExecuteAndReplyAsync(Frame command)
    {
        Frame reply;
        try
        {
            reply = await ExecuteAsync(command).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Not left in flight, or every resend would be answered Pending for good: a resend
            // carries it out again. Logged by Track.
            _replies.Complete(command.Sender, command.RequestId, default, cache: false);
            throw;
        }

        // A monitor that is not operational yet answers Pending: not kept, so a resend asks again.
        _replies.Complete(command.Sender, command.RequestId, reply, cache: reply.CommandStatus != (byte)SwapCommandStatus.Pending);
        Send(reply);
    }

    private async Task<Frame?> ExecuteLocalAsync(Frame command) => await ExecuteAsync(command with { Sender = NodeId }).ConfigureAwait(false);

    /// <summary>Carries out one swap command addressed to this node and returns the reply.</summary>
    private Task<Frame> ExecuteAsync(Frame command)
    {
        WorkloadDescriptor? workload = _catalog.Find(command.WorkloadId);
        if (workload is null)
        {
            return Task.FromResult(Reply(command, SwapCommandStatus.UnknownWorkload, 0));
        }

        return (SwapCommand)command.Command switch
        {
            SwapCommand.Terminate => TerminateAsync(workload, command),
            SwapCommand.Start => StartCommandAsync(workload, command),
            SwapCommand.StartMonitor => Task.FromResult(StartMonitorCommand(workload, command)),
            SwapCommand.RunEnded => Task.FromResult(RunEndedCommand(workload, command)),
            _ => Task.FromResult(Reply(command, SwapCommandStatus.Refused, 0)),
        };
    }

    private async Task<Frame> TerminateAsync(WorkloadDescriptor workload, Frame command)
    {
        WorkloadRun? run = RunOf(workload.Id);
        if (run is null)
        {
            // It may have just ended by itself: answer once its ownership is released, or the
            // node the swap starts it on next would find it still owned here.
            WorkloadRun? releasing;
            lock (_gate)
            {
                releasing = _releasing.GetValueOrDefault(workload.Id);
            }

            if (releasing is not null)
            {
                await releasing.Finished.Task.ConfigureAwait(false);
            }

            return Reply(command, SwapCommandStatus.NotRunning, 0);
        }

        if (command.FencingEpoch != 0 && (long)command.FencingEpoch < run.FencingToken)
        {
            WorkloadLog.CommandRefused(_logger, NodeId, SwapCommand.Terminate, workload.Id, command.Sender, $"token {command.FencingEpoch} is older than the run's {run.FencingToken}");
            return Reply(command, SwapCommandStatus.StaleToken, run.FencingToken);
        }

        // Only this run stops (FS-8); its term's end releases the ownership.
        await CancelAsync(run.Stop).ConfigureAwait(false);
        await run.Finished.Task.ConfigureAwait(false);
        return Reply(command, SwapCommandStatus.Done, run.FencingToken);
    }

    private async Task<Frame> StartCommandAsync(WorkloadDescriptor workload, Frame command)
    {
        if (workload.Options.Nodes.Count > 0 && !workload.Options.Nodes.Contains(NodeId))
        {
            return Reply(command, SwapCommandStatus.Refused, 0);
        }

        if (RunOf(workload.Id) is { Instance: not null } running)
        {
            return Reply(command, SwapCommandStatus.Done, running.FencingToken);
        }

        var outcome = new TaskCompletionSource<(WorkloadRun? Run, SwapCommandStatus Status)>();
        Track(StartRunAsync(workload, command.FailureStreak, (run, status) => outcome.TrySetResult((run, status)), _stopping.Token));
        (WorkloadRun? started, SwapCommandStatus result) = await outcome.Task.ConfigureAwait(false);
        return Reply(command, result, started?.FencingToken ?? 0);
    }

    private Frame StartMonitorCommand(WorkloadDescriptor workload, Frame command)
    {
        if (command.SubjectNode == NodeId || (workload.Options.MonitorNodes.Count > 0 && !workload.Options.MonitorNodes.Contains(NodeId)))
        {
            return Reply(command, SwapCommandStatus.Refused, 0);
        }

        WorkloadMonitor? monitor = MonitorOf(workload.Id);
        if (monitor is null || monitor.RunnerNode != command.SubjectNode || monitor.Failure is not null)
        {
            StartMonitor(workload, command.SubjectNode, (long)command.FencingEpoch, command.FailureStreak);
            return Reply(command, SwapCommandStatus.Pending, 0);
        }

        return Reply(command, monitor.IsOperational ? SwapCommandStatus.Done : SwapCommandStatus.Pending, monitor.FencingToken);
    }

    private Frame RunEndedCommand(WorkloadDescriptor workload, Frame command)
    {
        WorkloadMonitor? failed = null;
        lock (_gate)
        {
            if (_monitors.TryGetValue(workload.Id, out WorkloadMonitor? monitor) && monitor.RunnerNode == command.Sender)
            {
                monitor.OnRunEnded((long)command.FencingEpoch, $"node {command.Sender} reports the run (token {command.FencingEpoch}) ended by itself");
                failed = monitor.Failure is null ? null : monitor;
            }
        }

        if (failed is not null)
        {
            // Its loop would notice at the next tick; OnMonitorFailed runs one swap either way.
            OnMonitorFailed(failed);
        }

        return Reply(command, SwapCommandStatus.Done, 0);
    }

    private static Frame Reply(in Frame command, SwapCommandStatus status, long token) => new()
    {
        Type = FrameType.WorkloadCommandReply,
        Target = command.Sender,
        WorkloadId = command.WorkloadId,
        RequestId = command.RequestId,
        Command = command.Command,
        CommandStatus = (byte)status,
        SubjectNode = command.SubjectNode,
        FailureStreak = command.FailureStreak,
        FencingEpoch = (ulong)Math.Max(0, token),
    };

    /// <summary>
    /// The runner's side of FS-1: a run nobody has asked about for the ready timeout has lost
    /// its monitor (its node died, or its agent restarted); a new one is placed.
    /// </summary>
    private async Task WatchRunsAsync(CancellationToken stopping)
    {
        TimeSpan period = _options.Swap.MonitorReadyTimeout / 4;
        using var timer = new PeriodicTimer(period > TimeSpan.FromMilliseconds(1) ? period : TimeSpan.FromMilliseconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                long now = _time.GetTimestamp();
                List<WorkloadRun> orphans;
                lock (_gate)
                {
                    orphans = [.. _runs.Values.Where(r => r.Instance is not null && !r.PlacingMonitor && now >= r.MonitorSearchAfter && now - r.LastAsked > MonitorSilenceLimit(r.Workload))];
                    foreach (WorkloadRun run in orphans)
                    {
                        run.PlacingMonitor = true;
                        // Once a silence limit, not every tick, while no node can take the monitor.
                        run.MonitorSearchAfter = now + MonitorSilenceLimit(run.Workload);
                    }
                }

                foreach (WorkloadRun run in orphans)
                {
                    WorkloadLog.MonitorLost(_logger, NodeId, run.Workload.Id, (now - run.LastAsked) * 1000.0 / _time.TimestampFrequency);
                    Track(PlaceMonitorAsync(run, stopping));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// How long a run may go unasked before its monitor counts as lost: the ready timeout, but
    /// never less than three probe intervals, as a live monitor asks only once an interval.
    /// </summary>
    private long MonitorSilenceLimit(WorkloadDescriptor workload) =>
        Math.Max(Ticks(_options.Swap.MonitorReadyTimeout), Ticks(workload.Options.Probe.Interval * 3));

    private async Task PlaceMonitorAsync(WorkloadRun run, CancellationToken stopping)
    {
        try
        {
            var excluded = new HashSet<uint>();
            if (run.MonitorNode != 0)
            {
                excluded.Add(run.MonitorNode);
            }

            // Bounded: each turn excludes one more node.
            for (int turn = 0; turn <= _options.Peers.Count; turn++)
            {
                PlacementRanking ranking = PlacementPolicy.RankMonitors(PlacementSpec.From(run.Workload.Options), ClusterNodes(everyoneAlive: false), NodeId, 0, excluded);
                if (ranking.First is not uint node)
                {
                    WorkloadLog.MonitorNotPlaced(_logger, NodeId, run.Workload.Id, "no eligible node");
                    return;
                }

                var command = new Frame { Command = (byte)SwapCommand.StartMonitor, WorkloadId = run.Workload.WireId, SubjectNode = NodeId, FencingEpoch = (ulong)run.FencingToken, FailureStreak = (byte)Math.Min(run.FailureStreak, byte.MaxValue) };
                Frame? reply = await _commands!.SendAsync(node, command, _options.Swap.MonitorReadyTimeout, stopping).ConfigureAwait(false);
                if (reply?.CommandStatus == (byte)SwapCommandStatus.Done)
                {
                    _assignments.SetMonitor(run.Workload.Id, node);
                    if (MonitorOf(run.Workload.Id) is { } own && own.RunnerNode == NodeId && StopMonitor(own))
                    {
                        // FS-1 is met again: the monitor a swap left here on this node's own run goes.
                        WorkloadLog.MonitorHandedOver(_logger, NodeId, run.Workload.Id, node);
                    }

                    return;
                }

                excluded.Add(node);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            lock (_gate)
            {
                run.PlacingMonitor = false;
            }
        }
    }

    /// <summary>
    /// Cancels without throwing: a run's stop source is disposed once its run is over (a
    /// terminate or a stop can find the run just before that), and a callback a runner
    /// registered (a kill of a process that just exited) may throw; either way the stop has
    /// happened and the command must still be answered.
    /// </summary>
    private async Task CancelAsync(CancellationTokenSource source)
    {
        try
        {
            await source.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The run is over and its stop source gone with it.
        }
        catch (AggregateException ex)
        {
            WorkloadLog.LoopFailed(_logger, NodeId, ex);
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(ObserveAsync(task));
        }
    }

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // A failed loop is logged; it must not take the host down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WorkloadLog.LoopFailed(_logger, NodeId, ex);
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop a swap.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WorkloadLog.LoopFailed(_logger, NodeId, ex);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
