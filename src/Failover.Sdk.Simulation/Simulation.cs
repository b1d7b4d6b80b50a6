using Failover.Sdk.Agent;
using Failover.Sdk.Coordination;
using Failover.Sdk.Simulation.Coordination;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Network;
using Failover.Sdk.Simulation.Nodes;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation;

/// <summary>
/// A run of a <see cref="ScenarioDefinition"/>: real failover agents on simulated nodes,
/// NICs, switches and links, in virtual time, with the scenario's faults injected on
/// schedule. Everything that happens goes to <see cref="Journal"/>.
/// </summary>
/// <remarks>
/// <para>
/// Only the clock, the randomness and the wire are simulated: each node's agent is built by
/// <c>AddFailover()</c> and runs the SDK's real codec, detectors and state machines. A run
/// is single-threaded and deterministic: the same definition gives the same journal.
/// </para>
/// <example>
/// <code>
/// ScenarioDefinition scenario = Scenario.Create(seed: 7).TwoSites().Crash(node: 3, at: TimeSpan.FromSeconds(5)).Build();
/// using var simulation = new Simulation(scenario);
/// SimulationJournal journal = simulation.Run();
/// </code>
/// </example>
/// </remarks>
public sealed class Simulation : IDisposable
{
    /// <summary>The virtual instant every run starts at.</summary>
    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The most events one virtual second may hold: a runaway loop fails the run instead of hanging it.</summary>
    public const int MaxEventsPerSecond = 50_000_000;

    private readonly SimulationRecorder _recorder;
    private readonly SimulatedNetwork _network;
    private readonly Dictionary<uint, SimulatedNode> _nodes;
    private readonly FaultInjector _faults;
    private readonly CoordinationCluster? _coordination;
    private bool _disposed;

    /// <summary>Builds the topology and starts every node's agent at the run's first instant; faults are scheduled.</summary>
    /// <exception cref="ScenarioException">The definition is inconsistent (a NIC on a missing switch, a fault on a missing node, ...).</exception>
    public Simulation(ScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ScenarioValidator.Validate(definition);
        Definition = definition;
        Time = new VirtualTimeProvider(Epoch);
        var random = new SimulationRandom(definition.Seed);
        _recorder = new SimulationRecorder(Time, definition.RecordFrames);
        _network = new SimulatedNetwork(Time, random.Fork("network"), _recorder, definition.Lans, definition.Switches, definition.Wans);
        Dictionary<uint, (uint, ushort)[]> peers = PeerPlan.For(definition);
        _nodes = definition.Nodes.ToDictionary(n => n.Id, n => new SimulatedNode(n, Time, _network, _recorder, definition.Agent, peers[n.Id]));
        _network.Attach(_nodes);
        _faults = new FaultInjector(_nodes, _network, _recorder);
        if (definition.Coordination is { } coordination)
        {
            // Its own fork of the randomness, so turning coordination on shifts no draw of the network's.
            _coordination = new CoordinationCluster(coordination, _nodes, Time, _network, random.Fork("coordination"), _recorder);
        }

        foreach (ScheduledFault scheduled in definition.Faults.OrderBy(f => f.At))
        {
            Fault fault = scheduled.Fault;
            Time.Schedule(new ActionEvent(() => _faults.Inject(fault)), scheduled.At.Ticks);
            if (scheduled.Duration is { } duration)
            {
                Time.Schedule(new ActionEvent(() => _faults.Heal(fault)), (scheduled.At + duration).Ticks);
            }
        }

        SimulationThread.Run(() =>
        {
            foreach (SimulatedNode node in _nodes.Values.OrderBy(n => n.Id))
            {
                node.StartAgent();
            }
        });
    }

    /// <summary>What this run runs.</summary>
    public ScenarioDefinition Definition { get; }

    /// <summary>The virtual clock; every node's clock derives from it.</summary>
    public VirtualTimeProvider Time { get; }

    /// <summary>Everything that has happened so far.</summary>
    public SimulationJournal Journal => _recorder.Journal;

    /// <summary>Virtual time since the start of the run.</summary>
    public TimeSpan Elapsed => _recorder.Now;

    /// <summary>Frames the agents have sent so far.</summary>
    public long FramesSent => _recorder.FramesSent;

    /// <summary>Frames the network has lost so far, for any reason.</summary>
    public long FramesLost => _recorder.FramesLost;

    /// <summary>Frames handed to a receiving agent so far.</summary>
    public long FramesDelivered => _recorder.FramesDelivered;

    /// <summary>The agent running on <paramref name="node"/>, or null while it is down.</summary>
    /// <exception cref="KeyNotFoundException">The scenario has no such node.</exception>
    public FailoverAgent? Agent(uint node) => _nodes[node].Agent;

    /// <summary>
    /// The split-brain checks of the run's coordination (BY-1): the rules broken so far, the owners
    /// in the store, the fenced resources; null when the scenario has no coordination.
    /// </summary>
    public OwnershipMonitor? Ownership => _coordination?.Monitor;

    /// <summary>The coordinator of <paramref name="node"/>'s running agent; null while it is down, or when the scenario has no coordination.</summary>
    /// <exception cref="KeyNotFoundException">The scenario has no such node.</exception>
    public FailoverCoordinator? Coordinator(uint node) => _nodes[node].Coordination?.Process?.Coordinator;

    /// <summary>The clock <paramref name="node"/>'s agent runs on, skew and drift included.</summary>
    internal TimeProvider ClockOf(uint node) => _nodes[node].Clock;

    /// <summary>Runs to the end of the scenario's <see cref="ScenarioDefinition.Duration"/>.</summary>
    /// <returns>The journal of the whole run.</returns>
    public SimulationJournal Run()
    {
        RunUntil(Definition.Duration);
        return Journal;
    }

    /// <summary>Runs for <paramref name="duration"/> more of virtual time.</summary>
    public void RunFor(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        RunUntil(Elapsed + duration);
    }

    /// <summary>Runs until <paramref name="at"/> (virtual time since the start), one virtual second at a time.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxEventsPerSecond"/> events fell in one virtual second, or a coordinator's campaign failed unexpectedly.</exception>
    public void RunUntil(TimeSpan at)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(at, Elapsed);
        while (Elapsed < at)
        {
            TimeSpan step = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, (at - Elapsed).Ticks));
            Time.RunFor(step, MaxEventsPerSecond);
            _coordination?.ThrowIfFailed();
        }
    }

    /// <summary>Injects <paramref name="fault"/> now, healing it after <paramref name="duration"/> (never, when null).</summary>
    /// <exception cref="ScenarioException">The fault names something the scenario does not have.</exception>
    public void Inject(Fault fault, TimeSpan? duration = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ScenarioValidator.ValidateFault(Definition, fault, "Inject");
        Time.Schedule(new ActionEvent(() => _faults.Inject(fault)), 0);
        if (duration is { } heal)
        {
            Time.Schedule(new ActionEvent(() => _faults.Heal(fault)), heal.Ticks);
        }
    }

    /// <summary>Stops every agent (as a crash: the run is over, nothing graceful is owed).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        SimulationThread.Run(() =>
        {
            foreach (SimulatedNode node in _nodes.Values)
            {
                node.KillAgent(record: false);
            }

            _coordination?.Dispose();
        });
    }
}
