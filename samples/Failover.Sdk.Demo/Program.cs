// The Failover.Sdk demo: real failover agents on a simulated network, in virtual time.
// Four nodes on two sites; a NIC fails, a node crashes, the sites are partitioned, and
// each heals. It prints what the SDK noticed and when, and draws the timeline as SVG.
// Same seed, same run, byte for byte.
//
//   dotnet run --project samples/Failover.Sdk.Demo                       (seed 1)
//   dotnet run --project samples/Failover.Sdk.Demo -- --seed 7 --detector phi
//   dotnet run --project samples/Failover.Sdk.Demo -- --help
using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Demo;
using Failover.Sdk.Simulation;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Topology;

DemoArguments arguments;
ScenarioDefinition scenario;
try
{
    arguments = DemoArguments.Parse(args);
    if (arguments.Help)
    {
        Console.WriteLine(DemoArguments.Usage);
        return 0;
    }

    scenario = arguments.ScenarioFile is { } file
        ? ScenarioJson.Load(file)
        : DemoScenario.Build(arguments.Seed, arguments.Detector, arguments.PhiThreshold);
}
catch (Exception ex) when (ex is ArgumentException or ScenarioException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(DemoArguments.Usage);
    return 2;
}

Console.WriteLine(Describe(scenario));
var clock = Stopwatch.StartNew();
using var simulation = new Simulation(scenario);
SimulationJournal journal = simulation.Run();
clock.Stop();

Console.WriteLine();
TextTimeline.Write(journal, Console.Out);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Simulated {scenario.Duration.TotalSeconds:0} s in {clock.Elapsed.TotalMilliseconds:0} ms: {simulation.Time.EventsRun:N0} events, {simulation.FramesSent:N0} frames sent, {simulation.FramesLost:N0} lost."));

using (var svg = new StreamWriter(arguments.SvgFile))
{
    SvgTimeline.Write(scenario, journal, svg);
}

Console.WriteLine($"Timeline picture: {Path.GetFullPath(arguments.SvgFile)}");
if (arguments.JournalFile is { } journalFile)
{
    using var writer = new StreamWriter(journalFile);
    journal.WriteJsonLines(writer);
    Console.WriteLine($"Journal ({journal.Count:N0} events): {Path.GetFullPath(journalFile)}");
}

if (arguments.SaveScenarioFile is { } saveFile)
{
    ScenarioJson.Save(scenario, saveFile);
    Console.WriteLine($"Scenario: {Path.GetFullPath(saveFile)} (replay: --scenario {saveFile})");
}

return 0;

static string Describe(ScenarioDefinition scenario)
{
    string detector = scenario.Agent.Detector == Failover.Sdk.Configuration.FailoverDetectorKind.Fixed
        ? $"fixed, down after {scenario.Agent.MissedHeartbeats} missed"
        : string.Create(CultureInfo.InvariantCulture, $"phi accrual, threshold {scenario.Agent.PhiThreshold}");
    var text = new System.Text.StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Failover.Sdk simulator, seed {scenario.Seed}: {scenario.Duration.TotalSeconds:0} s of virtual time.");
    text.AppendLine(CultureInfo.InvariantCulture, $"Agents heartbeat every {scenario.Agent.HeartbeatInterval.TotalMilliseconds:0} ms on every path ({detector}).");
    foreach (LanDefinition lan in scenario.Lans)
    {
        IEnumerable<string> switches = scenario.Switches.Where(s => s.Lan == lan.Name).Select(s => s.Name);
        IEnumerable<string> nodes = scenario.Nodes
            .Where(n => n.Nics.Any(nic => switches.Contains(nic.Switch)))
            .Select(n => $"{n.Id} ({n.Role.ToString().ToLowerInvariant()}, {n.Kind.ToString().ToLowerInvariant()})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  LAN {lan.Name}: switches {string.Join(", ", switches)}; nodes {string.Join(", ", nodes)}");
    }

    foreach (WanDefinition wan in scenario.Wans)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"  WAN {wan.Name}: {wan.From} <-> {wan.To}");
    }

    text.Append("Faults: ");
    text.AppendJoin("; ", scenario.Faults.OrderBy(f => f.At).Select(f => string.Create(CultureInfo.InvariantCulture,
        $"{f.At.TotalSeconds:0.###} s {f.Fault.Describe()}{(f.Duration is { } d ? $" for {d.TotalSeconds:0.###} s" : "")}")));
    return text.ToString();
}
