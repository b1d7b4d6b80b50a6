using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Simulated events per second with real agents in the loop (codec, replay window,
/// detectors, timers, the simulated network), beside a bare priority-queue event loop
/// firing the same number of trivial events, in one run.
/// </summary>
/// <remarks>
/// <para>
/// Each iteration builds a fresh simulation outside the measurement (every node's agent is
/// a DI container, started at t = 0), then runs it to its end (<see cref="SimulatorWorkload.FullMesh"/>):
/// a full mesh of <see cref="Nodes"/> nodes on one LAN heartbeating every 10 ms, frames
/// counted but not journaled, about <see cref="SimulatorWorkload.BenchmarkEvents"/> events.
/// A run is deterministic, so it fires the same events every time; <see cref="EventsColumn"/>
/// counts them once and divides.
/// </para>
/// <para>
/// The baseline fires exactly that many events from a queue of <see cref="Nodes"/>²
/// periodic actions, about the simulator's own queue depth at a heartbeat instant.
/// </para>
/// </remarks>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [IterationCleanup] disposes.
public class SimulatorBenchmarks
#pragma warning restore CA1001
{
    private ScenarioDefinition _definition = null!;
    private long _events;
    private Simulation.Simulation? _simulation;
    private BareEventLoop _bare = null!;

    [Params(10, 40)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _definition = SimulatorWorkload.FullMesh(Nodes);
        _events = SimulatorWorkload.CountEvents(_definition);
        _bare = new BareEventLoop();

        // One invocation per iteration means too few calls for the JIT to tier the
        // baseline's loop up to optimised code within the warmup (the simulator's inner
        // methods are called millions of times and tier up at once); call it enough first.
        for (int i = 0; i < 40; i++)
        {
            BarePriorityQueue();
        }
    }

    [IterationSetup(Target = nameof(Simulator))]
    public void BuildSimulation() => _simulation = new Simulation.Simulation(_definition);

    [IterationCleanup(Target = nameof(Simulator))]
    public void DisposeSimulation()
    {
        _simulation?.Dispose();
        _simulation = null;
    }

    [Benchmark(Baseline = true, Description = "bare PriorityQueue loop")]
    public long BarePriorityQueue() => _bare.Run(_events, population: Nodes * Nodes, periodTicks: TimeSpan.TicksPerMillisecond * 10);

    [Benchmark(Description = "simulator, real agents")]
    public long Simulator()
    {
        _simulation!.Run();
        return _simulation.Time.EventsRun;
    }

    /// <summary>
    /// A short job (BenchmarkDotNet's <c>--job short</c> has 3 iterations, too few for an
    /// iteration of one invocation): the machine is shared, so a run must stay brief.
    /// </summary>
    private sealed class ShortRunConfig : ManualConfig
    {
        public ShortRunConfig()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new EventsColumn(perSecond: false), new EventsColumn(perSecond: true));
        }
    }
}
