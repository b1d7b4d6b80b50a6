// The Failover.Sdk demo: real failover agents on a simulated network, in virtual time.
// Four nodes on two sites; a NIC fails, a node crashes, the sites are partitioned, and
// each heals. A workload that must run on exactly one node moves when its node crashes,
// fenced by the coordination store on node 1. It prints what the SDK noticed and when,
// checks that no two nodes ever held the workload at once, and draws the timeline as SVG.
// Same seed, same run, byte for byte.
//
//   dotnet run --project samples/Failover.Sdk.Demo                       (seed 1)
//   dotnet run --project samples/Failover.Sdk.Demo -- --seed 7 --detector phi
//   dotnet run --project samples/Failover.Sdk.Demo -- --help
using System.Diagnostics;
using System.Globalization;
using Failover.Sdk.Demo;
using Failover.Sdk.Simulation;
using Failover.Sdk.Simulation.Coordination;
using Failover.Sdk.Simulation.Faults;
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
if (simulation.Ownership is { } ownership)
{
    Console.WriteLine(SplitBrain(ownership, journal));
}

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

    if (scenario.Coordination is { } coordination)
    {
        uint store = coordination.StoreNode ?? scenario.Nodes.OrderBy(n => n.Id).Select(n => n.Id).First(id => scenario.Nodes.First(n => n.Id == id).Role == NodeRole.Manager);
        text.AppendLine(CultureInfo.InvariantCulture, $"Coordination store on node {store}; leases of {coordination.LeaseTimeToLive.TotalSeconds:0.###} s, given up {coordination.LeaseSafetyMargin.TotalMilliseconds:0} ms early by each node's own clock.");
        foreach (WorkloadDefinition workload in coordination.Workloads)
        {
            string candidates = workload.Candidates is { } listed ? $"nodes {string.Join(", ", listed)} (in that order of preference)" : "the application nodes";
            text.AppendLine(CultureInfo.InvariantCulture, $"  Workload {workload.Id} runs on exactly one of {candidates}, writing to a resource fenced by its token.");
        }
    }

    text.Append("Faults: ");
    text.AppendJoin("; ", scenario.Faults.OrderBy(f => f.At).Select(f => string.Create(CultureInfo.InvariantCulture,
        $"{f.At.TotalSeconds:0.###} s {f.Fault.Describe()}{(f.Duration is { } d ? $" for {d.TotalSeconds:0.###} s" : "")}")));
    return text.ToString();
}

// What the split-brain monitor saw, and who owned what while each partition lasted.
static string SplitBrain(OwnershipMonitor ownership, SimulationJournal journal)
{
    var text = new System.Text.StringBuilder();
    text.AppendLine();
    text.AppendLine(ownership.Violations.Count == 0
        ? string.Create(CultureInfo.InvariantCulture, $"Split brain: none. {ownership.TermsBegun} terms each began with no other valid owner; the fenced resources accepted {ownership.WritesAccepted} writes, each from the newest valid owner, and refused {ownership.WritesRefused} stale ones.")
        : string.Create(CultureInfo.InvariantCulture, $"Split brain: {ownership.Violations.Count} rule(s) broken:"));
    foreach (OwnershipViolation violation in ownership.Violations)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"  {violation}");
    }

    foreach (FaultInjected cut in journal.OfType<FaultInjected>().Where(f => f.Fault is Partition))
    {
        TimeSpan healed = journal.OfType<FaultHealed>().FirstOrDefault(h => ReferenceEquals(h.Fault, cut.Fault))?.At ?? journal[^1].At;
        string window = string.Create(CultureInfo.InvariantCulture, $"{cut.At.TotalSeconds:0.###}-{healed.TotalSeconds:0.###} s");
        string[] changes = [.. journal.Where(e => e.At >= cut.At && e.At <= healed).Select(e => e switch
        {
            OwnershipAcquired a => string.Create(CultureInfo.InvariantCulture, $"node {a.Node} took {a.Workload} at {a.At.TotalSeconds:0.000} s"),
            OwnershipEnded e2 => string.Create(CultureInfo.InvariantCulture, $"node {e2.Node} stopped {e2.Workload} at {e2.At.TotalSeconds:0.000} s ({e2.Reason})"),
            _ => null,
        }).OfType<string>()];
        bool clean = ownership.Violations.All(v => v.At < cut.At || v.At > healed);
        text.AppendLine(CultureInfo.InvariantCulture, $"During the {cut.Fault.Describe()} ({window}): {(changes.Length == 0 ? "no ownership changed" : string.Join("; ", changes))}; {(clean ? "no split brain" : "SPLIT BRAIN")}.");
    }

    return text.ToString().TrimEnd();
}
