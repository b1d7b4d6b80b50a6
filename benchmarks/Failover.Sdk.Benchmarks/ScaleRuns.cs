using System.Diagnostics;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Large simulations timed with a stopwatch, not BenchmarkDotNet: one run each is the
/// measurement (minutes at the largest size). <c>scale a</c> is 100 nodes at 10 ms for a
/// simulated minute, <c>scale b</c> 10,000 nodes at 1 Hz for a simulated hour; <c>scale</c>
/// runs both, in that order. Each node heartbeats 3 peers (<c>Ring(3)</c>: its two ring
/// neighbours and the node opposite), on one LAN with the LAN profile, frames counted but
/// not journaled. Add <c>ideal</c> for perfect links instead, <c>repeat=N</c> to run each
/// scale N times in one process.
/// </summary>
internal static class ScaleRuns
{
    public static int Run(string[] args)
    {
        bool ideal = args.Contains("ideal", StringComparer.OrdinalIgnoreCase);
        bool a = args.Contains("a", StringComparer.OrdinalIgnoreCase);
        bool b = args.Contains("b", StringComparer.OrdinalIgnoreCase);
        if (!a && !b)
        {
            a = b = true;
        }

        LinkProfile link = ideal ? LinkProfile.Ideal : LinkProfile.Lan;
        string linkName = ideal ? "ideal" : "LAN (100 µs ± 20 µs)";
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}, load average {LoadAverage()}");
        // "repeat=N" runs each scale N times in this process: the first run pays for the JIT
        // (tiering, OSR), the later ones show the steady state.
        int repeat = args.Where(arg => arg.StartsWith("repeat=", StringComparison.Ordinal)).Select(arg => int.Parse(arg[7..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(1).Last();
        for (int i = 0; i < repeat; i++)
        {
            RunOnce(a, b, link, linkName);
        }

        return 0;
    }

    private static void RunOnce(bool a, bool b, LinkProfile link, string linkName)
    {
        if (a)
        {
            Measure("a", nodes: 100, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60), link, linkName, targetWall: TimeSpan.FromSeconds(0.6));
        }

        if (b)
        {
            Measure("b", nodes: 10_000, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), link, linkName, targetWall: TimeSpan.FromSeconds(120));
        }
    }

    private static void Measure(string name, int nodes, TimeSpan interval, TimeSpan lasting, LinkProfile link, string linkName, TimeSpan targetWall)
    {
        ScenarioDefinition definition = Scenario.Create(seed: 1)
            .SingleLan(nodes, link)
            .Ring(3)
            .Agent(AgentProfile.Default with { HeartbeatInterval = interval })
            .RecordFrames(false)
            .Lasting(lasting)
            .Build();

        Console.WriteLine();
        Console.WriteLine($"[{name}] {nodes:N0} nodes, ring of 3 peers, heartbeat {interval.TotalMilliseconds:N0} ms, {lasting.TotalSeconds:N0} s simulated, links {linkName}, RecordFrames=false");
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var setup = Stopwatch.StartNew();
        var simulation = new Simulation.Simulation(definition);
        setup.Stop();
        Console.WriteLine($"[{name}] setup (topology, {nodes:N0} agents built and started): {setup.Elapsed.TotalSeconds:N3} s");
        try
        {
            RunAndReport(name, simulation, lasting, setup.Elapsed, allocatedBefore, targetWall);
        }
        finally
        {
            var teardown = Stopwatch.StartNew();
            simulation.Dispose();
            Console.WriteLine($"[{name}] teardown (every agent stopped, its container disposed): {teardown.Elapsed.TotalSeconds:N3} s");
            Console.WriteLine($"[{name}] load average after: {LoadAverage()}");
        }
    }

    private static void RunAndReport(string name, Simulation.Simulation simulation, TimeSpan lasting, TimeSpan setup, long allocatedBefore, TimeSpan targetWall)
    {

        long eventsBefore = simulation.Time.EventsRun;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        var run = Stopwatch.StartNew();
        TimeSpan step = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, lasting.Ticks / 6));
        while (simulation.Elapsed < lasting)
        {
            simulation.RunFor(TimeSpan.FromTicks(Math.Min(step.Ticks, (lasting - simulation.Elapsed).Ticks)));
            if (lasting > TimeSpan.FromMinutes(5))
            {
                Console.Error.WriteLine($"[{name}]   {simulation.Elapsed} simulated after {run.Elapsed.TotalSeconds:N1} s");
            }
        }

        run.Stop();
        long events = simulation.Time.EventsRun - eventsBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Process self = Process.GetCurrentProcess();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        TimeSpan pause = GC.GetTotalPauseDuration() - pauseBefore;
        TimeSpan total = setup + run.Elapsed;
        double eventsPerSecond = events / run.Elapsed.TotalSeconds;

        Console.WriteLine($"[{name}] run: {run.Elapsed.TotalSeconds:N3} s wall for {lasting.TotalSeconds:N0} s simulated = {lasting / run.Elapsed:N1}x real time");
        Console.WriteLine($"[{name}] run: {cpu.TotalSeconds:N3} s of CPU (all threads: JIT and GC included), GC pauses {pause.TotalSeconds:N3} s");
        Console.WriteLine($"[{name}] setup + run: {total.TotalSeconds:N3} s (target <= {targetWall.TotalSeconds:N1} s: {(total <= targetWall ? "met" : "MISSED")})");
        Console.WriteLine($"[{name}] events: {events:N0} ({eventsPerSecond:N0} events/s)");
        Console.WriteLine($"[{name}] frames: {simulation.FramesSent:N0} sent, {simulation.FramesDelivered:N0} delivered, {simulation.FramesLost:N0} lost; journal {simulation.Journal.Count:N0} entries");
        Console.WriteLine($"[{name}] memory: peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB, allocated {allocated / 1048576.0:N0} MiB since setup began ({(double)allocated / events:N1} B/event), GCs so far in the process: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
