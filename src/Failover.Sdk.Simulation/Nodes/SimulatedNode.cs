using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Coordination;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Network;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Time;
using Failover.Sdk.Simulation.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Sdk.Simulation.Nodes;

/// <summary>
/// One simulated machine: its NICs, its clock, and the real <see cref="FailoverAgent"/> it
/// runs, built by <c>AddFailover()</c> exactly as a host would build it, with only the
/// clock and the network swapped for simulated ones.
/// </summary>
internal sealed class SimulatedNode
{
    /// <summary>How many frames a stalled node's socket buffers hold before dropping.</summary>
    internal const int ReceiveBufferFrames = 1024;

    private readonly SimulatedNetwork _network;
    private readonly SimulationRecorder _recorder;
    private readonly AgentProfile _profile;
    private readonly (uint Peer, ushort Path)[] _peers;
    private readonly NicState[] _nics;
    private readonly Queue<HeldFrame> _held = new();
    private ServiceProvider? _services;
    private bool _processHung;
    private bool _nodePaused;
    private bool _restartOnResume;

    public SimulatedNode(NodeDefinition definition, VirtualTimeProvider time, SimulatedNetwork network, SimulationRecorder recorder, AgentProfile profile, (uint Peer, ushort Path)[] peers)
    {
        Definition = definition;
        Clock = new NodeClock(time);
        _network = network;
        _recorder = recorder;
        _profile = profile;
        _peers = peers;
        _nics = [.. definition.Nics.Select(n => new NicState(n.PathId, network.Switches[n.Switch]))];
    }

    public NodeDefinition Definition { get; }

    public uint Id => Definition.Id;

    public NodeClock Clock { get; }

    /// <summary>The incarnation of the current (or last) agent; 0 before the first start.</summary>
    public uint Incarnation { get; private set; }

    /// <summary>The running agent, or null while the node or its process is down.</summary>
    public FailoverAgent? Agent { get; private set; }

    /// <summary>Whether the OS runs (the node has not crashed): NICs answer, frames can arrive.</summary>
    public bool IsOsUp { get; private set; } = true;

    public bool IsAgentRunning => Agent is not null;

    /// <summary>Whether nothing in the agent runs right now: the process hangs or the node is paused.</summary>
    public bool IsFrozen => _processHung || _nodePaused;

    /// <summary>Whether the whole machine is stalled (a <c>NodePause</c>), not just the agent's process.</summary>
    public bool IsPaused => _nodePaused;

    /// <summary>This node's part in coordination, when the scenario has it: started and killed with the agent.</summary>
    public NodeCoordination? Coordination { get; set; }

    /// <summary>The coordination store, when this machine hosts it: it stalls, resumes and crashes with the machine, not with the agent.</summary>
    public SimulatedStore? HostedStore { get; set; }

    public NicState? Nic(ushort pathId)
    {
        foreach (NicState nic in _nics)
        {
            if (nic.PathId == pathId)
            {
                return nic;
            }
        }

        return null;
    }

    /// <summary>Starts a new agent process, as the next incarnation.</summary>
    /// <exception cref="InvalidOperationException">An agent runs already, or its start did not complete synchronously.</exception>
    public void StartAgent()
    {
        if (Agent is not null)
        {
            throw new InvalidOperationException($"Node {Id} already runs an agent.");
        }

        Incarnation++;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        IFailoverBuilder failover = services.AddFailover(Configure).UseInMemoryNetwork(_network.Network);
        Coordination?.Register(failover);
        _services = services.BuildServiceProvider();
        FailoverAgent agent = _services.GetRequiredService<FailoverAgent>();
        agent.PeerStatusChanged += OnPeerStatusChanged;
        agent.PathStatusChanged += OnPathStatusChanged;
        Agent = agent;
        _recorder.Add(at => new NodeStarted(at, Id, Incarnation));

        // In-memory transports start synchronously and the loops run to their first await on
        // this thread, so a start that has not completed would be waiting on something the
        // simulation can never deliver.
        Task start = agent.StartAsync(CancellationToken.None);
        if (!start.IsCompleted)
        {
            throw new InvalidOperationException($"The agent of node {Id} did not start synchronously under the simulator.");
        }

        start.GetAwaiter().GetResult();
        Coordination?.Start(_services);
    }

    /// <summary>The agent process dies at once: no graceful stop, its timers never fire, its transports close.</summary>
    /// <param name="record">False when the run is being torn down, which is not part of its history.</param>
    /// <param name="cause">Why, as the journal says it when workloads end with the process.</param>
    public void KillAgent(bool record = true, string cause = "its process crashed")
    {
        if (Agent is null)
        {
            return;
        }

        Clock.Kill();
        _processHung = false;
        if (record)
        {
            DropHeld();
        }

        _held.Clear();
        // Before the container is torn down: its coordinator's stop must reach nothing, as a crash's would.
        Coordination?.Kill(cause, record);
        Agent.PeerStatusChanged -= OnPeerStatusChanged;
        Agent.PathStatusChanged -= OnPathStatusChanged;
        Agent = null;
        ValueTask disposed = _services!.DisposeAsync();
        _services = null;
        if (!disposed.IsCompleted)
        {
            throw new InvalidOperationException($"The services of node {Id} did not dispose synchronously under the simulator.");
        }

        disposed.GetAwaiter().GetResult();
        if (record)
        {
            _recorder.Add(at => new NodeStopped(at, Id, Incarnation));
        }
    }

    public void CrashOs()
    {
        KillAgent(cause: "its node crashed");
        IsOsUp = false;
        _nodePaused = false;
        _restartOnResume = false;
        HostedStore?.OnHostCrashed();
    }

    /// <summary>Starts the agent process again after it crashed; on a paused node only when the node resumes, as nothing on it runs meanwhile.</summary>
    public void RestartProcess()
    {
        if (!IsOsUp || IsAgentRunning)
        {
            return;
        }

        if (_nodePaused)
        {
            _restartOnResume = true;
            return;
        }

        StartAgent();
    }

    public void BootOs()
    {
        IsOsUp = true;
        StartAgent();
    }

    /// <summary>The agent process hangs; with no process running there is nothing to hang, so the next one starts healthy.</summary>
    public void Hang()
    {
        if (Agent is not null)
        {
            Stall(ref _processHung);
        }
    }

    public void Pause() => Stall(ref _nodePaused);

    public void ResumeProcess() => Resume(ref _processHung);

    public void ResumeNode()
    {
        Resume(ref _nodePaused);
        HostedStore?.OnHostResumed();
        if (_restartOnResume && !_nodePaused)
        {
            _restartOnResume = false;
            RestartProcess();
        }
    }

    /// <summary>Keeps a frame that arrived while frozen; false when the buffer is full.</summary>
    public bool Hold(uint from, ushort path, long sentAt, ReadOnlySpan<byte> frame)
    {
        if (_held.Count >= ReceiveBufferFrames)
        {
            return false;
        }

        _held.Enqueue(new HeldFrame(from, path, sentAt, frame.ToArray()));
        return true;
    }

    public void SetNic(ushort pathId, bool up) => Nic(pathId)!.IsUp = up;

    private void Stall(ref bool flag)
    {
        flag = true;
        Clock.Freeze();
    }

    /// <summary>
    /// Thaws: the frames buffered meanwhile are read first, then the timers that came due
    /// fire. Reading first is the kinder order (and the usual one: completions queued in the
    /// kernel are there when the process wakes), so a resumed agent does not suspect a peer
    /// whose heartbeat is already waiting in its buffer.
    /// </summary>
    private void Resume(ref bool flag)
    {
        flag = false;
        if (IsFrozen)
        {
            return;
        }

        while (_held.TryDequeue(out HeldFrame frame))
        {
            if (Agent is null)
            {
                break;
            }

            _recorder.FrameDelivered(frame.From, Id, frame.Path, frame.SentAt, duplicate: false);
            _network.Network.Deliver(frame.From, Id, frame.Path, frame.Bytes);
        }

        DropHeld();
        Clock.Thaw();
    }

    /// <summary>The process that would have read the buffered frames is gone: they are lost, and journaled so.</summary>
    private void DropHeld()
    {
        while (_held.TryDequeue(out HeldFrame frame))
        {
            _recorder.FrameLost(frame.From, Id, frame.Path, FrameLossReason.NodeDown);
        }
    }

    private void Configure(FailoverOptions options)
    {
        options.NodeId = Id;
        options.Incarnation = Incarnation;
        options.Transport = FailoverTransportKind.InMemory;
        _profile.ApplyTo(options);
        foreach (NicState nic in _nics)
        {
            options.Paths.Add(new FailoverPathOptions { Id = nic.PathId });
        }

        foreach ((uint peer, ushort path) in _peers)
        {
            options.Peers.Add(new FailoverPeerOptions { NodeId = peer, PathId = path });
        }
    }

    private void OnPathStatusChanged(object? sender, PathStatusChangedEventArgs change)
    {
        // A path first heard says nothing the peer's own first Up does not: only suspicions
        // and recoveries from them go to the journal.
        if (change.Previous == PathState.Unknown && change.Current == PathState.Up)
        {
            return;
        }

        uint observer = Id;
        _recorder.Add(at => change.Current == PathState.Suspected
            ? new PathSuspected(at, observer, change.NodeId, change.PathId, change.Silence)
            : new PathTrusted(at, observer, change.NodeId, change.PathId));
    }

    private void OnPeerStatusChanged(object? sender, PeerStatusChangedEventArgs change)
    {
        uint observer = Id;
        _recorder.Add(at => change switch
        {
            { Current: PeerState.Down } => new PeerSuspected(at, observer, change.NodeId, change.Incarnation, change.Silence),
            { IsRestart: true } => new PeerRestarted(at, observer, change.NodeId, change.PreviousIncarnation, change.Incarnation),
            _ => new PeerTrusted(at, observer, change.NodeId, change.Incarnation),
        });
    }
}
