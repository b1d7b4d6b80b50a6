// The process swap with real processes, on this machine only (127.0.0.1):
//
//   dotnet run --project samples/Failover.Sdk.SwapDemo
//
// It starts three agents (samples/Failover.Sdk.AgentHost, one OS process each, UDP on
// loopback) that run four workload processes (samples/Failover.Sdk.SampleWorkload) and
// watch each other's, kills one workload with SIGKILL, and prints what happened: where it
// moved, where its monitor moved, and that the other workloads kept their processes. Then it
// stops everything it started, by pid. It needs nothing but the .NET SDK; it takes 10 to 20 s.
//
// No coordination store is shared here, so the agents warn that the swap is not protected
// against split brain (a node that is alive but cut off could keep its copy running); with
// etcd (AgentHost's --etcd) every swap is fenced. See docs/fencing.md.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

TimeSpan startDeadline = TimeSpan.FromSeconds(60);
TimeSpan swapDeadline = TimeSpan.FromSeconds(30);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C: end the waits, so the cleanup below still stops every process.
    e.Cancel = true;
    cancel.Cancel();
};

string folder = Directory.CreateTempSubdirectory("failover-swap-demo-").FullName;
var agents = new List<AgentProcess>();
var workloadProcesses = new ConcurrentDictionary<int, DateTime>();
try
{
    string settings = Path.Combine(folder, "settings.json");
    File.WriteAllText(settings, DemoSettings.Build(AgentProcess.Metadata("SampleWorkloadPath")).ToJsonString());
    int[] ports = FreeUdpPorts(3);
    Say($"Three agents on 127.0.0.1, UDP ports {string.Join(", ", ports)}; four workloads, the same list on every node ({settings}).");
    for (uint node = 1; node <= 3; node++)
    {
        var arguments = new List<string> { "--settings", settings, "--node", $"{node}", "--listen", $"127.0.0.1:{ports[node - 1]}" };
        int peer = 0;
        for (uint other = 1; other <= 3; other++)
        {
            if (other != node)
            {
                arguments.Add($"--Failover:Peers:{peer}:NodeId={other}");
                arguments.Add($"--Failover:Peers:{peer++}:EndPoint=127.0.0.1:{ports[other - 1]}");
            }
        }

        AgentProcess agent = AgentProcess.Start(node, arguments, Remember);
        agents.Add(agent);
        Say($"  node {node}: agent process {agent.ProcessId}");
    }

    // 1. Every workload runs on one node and is watched from another.
    Dictionary<string, (EventLine Run, uint Monitor)> before = await WaitAsync(
        () => Placement() is { Count: 4 } placement && placement.Values.All(p => p.Monitor != 0) && !SwapUnderWay() ? placement : null,
        "every workload to run and be monitored",
        startDeadline);
    Say("");
    Say("Every workload runs and is monitored from another node:");
    foreach ((string id, (EventLine run, uint monitor)) in before.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        Say($"  {id}: node {run.Node}, process {run["pid"]}, fencing token {run["token"]}, monitored from node {monitor}");
    }

    // 2. Kill one workload process, as a crash would.
    (EventLine killed, _) = before["w1"];
    int killedPid = int.Parse(killed["pid"], CultureInfo.InvariantCulture);
    Say("");
    Say($"Killing w1's process {killedPid} on node {killed.Node} with SIGKILL...");
    DateTimeOffset killedAt = DateTimeOffset.UtcNow;
    KillIfSame(killedPid);

    EventLine completed = await WaitAsync(
        () => agents.SelectMany(a => a.Lines).FirstOrDefault(l => l.Is("swap-completed", "w1") && l.At >= killedAt),
        "the swap of w1 to complete",
        swapDeadline);
    foreach (EventLine step in agents.SelectMany(a => a.Lines).Where(l => l.Is("swap-step", "w1") && l.At >= killedAt))
    {
        Say($"  [node {step.Node}] {step["step"],-20} {step["detail"]}");
    }

    // 3. What happened.
    EventLine moved = await WaitAsync(
        () => agents.SelectMany(a => a.Lines).FirstOrDefault(l => l.Is("run-started", "w1") && l.At >= killedAt),
        "w1's new process to be reported",
        swapDeadline);
    Say("");
    if (completed["completed"] != "true")
    {
        Say($"The swap did not complete: {completed["reason"]}");
        return 1;
    }

    Say($"w1 moved from node {completed["from"]} to node {completed["to"]}: process {killedPid} -> {moved["pid"]}, fencing token {killed["token"]} -> {moved["token"]}, {(moved.At - killedAt).TotalMilliseconds:F0} ms after the kill.");
    Say($"Its monitor moved the other way: from node {completed["old-monitor"]} to node {completed["new-monitor"]}" +
        (completed["new-monitor"] == $"{killed.Node}" ? ", the node it failed on, which is alive (the seed's swap)." : "."));

    bool othersKept = true;
    foreach ((string id, (EventLine run, _)) in before.Where(p => p.Key != "w1").OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        int pid = int.Parse(run["pid"], CultureInfo.InvariantCulture);
        bool restarted = agents.SelectMany(a => a.Lines).Any(l => l.Is("run-started", id) && l.At >= killedAt);
        bool alive = IsSame(pid);
        othersKept &= alive && !restarted;
        Say($"  {id}: still process {pid} on node {run.Node}: {(alive && !restarted ? "yes, untouched" : "NO")}");
    }

    Say(othersKept ? "Only w1 moved; every other workload kept its process (FS-8)." : "Something else moved: see above.");
    return othersKept ? 0 : 1;
}
catch (TimeoutException e)
{
    Say($"Gave up: {e.Message}");
    foreach (AgentProcess agent in agents)
    {
        Say($"  node {agent.Node} printed: {string.Join(" | ", agent.Lines.TakeLast(8).Select(l => l.Text))}");
    }

    return 1;
}
catch (OperationCanceledException)
{
    Say("Interrupted.");
    return 1;
}
finally
{
    // Everything this demo started, by pid: the agents, then whatever workload process is
    // left (a killed agent's workloads run on, orphaned; these agents are killed too).
    Say("");
    Say("Stopping the agents and their workloads...");
    foreach (AgentProcess agent in agents)
    {
        agent.Dispose();
    }

    foreach (int pid in workloadProcesses.Keys)
    {
        KillIfSame(pid);
    }

    Directory.Delete(folder, recursive: true);
}

// Where each workload runs now (the latest run-started whose run has not ended) and which
// node's monitor has had a good answer from that very run (0: none yet).
Dictionary<string, (EventLine Run, uint Monitor)> Placement()
{
    EventLine[] lines = [.. agents.SelectMany(a => a.Lines)];
    var placement = new Dictionary<string, (EventLine, uint)>(StringComparer.Ordinal);
    foreach (EventLine run in lines.Where(l => l.Name == "run-started" && !lines.Any(e => e.Node == l.Node && e.Is("run-ended", l["id"]) && e["token"] == l["token"])))
    {
        EventLine? operational = lines.FirstOrDefault(l => l.Is("monitor-operational", run["id"]) && l["runner"] == $"{run.Node}" && l["token"] == run["token"]);
        placement[run["id"]] = (run, operational?.Node ?? 0);
    }

    return placement;
}

// Whether a swap has begun that has not finished (on a busy machine the start can see one).
bool SwapUnderWay() => agents.Any(a =>
{
    IReadOnlyList<EventLine> lines = a.Lines;
    return lines.Count(l => l.Name == "swap-step" && l["step"] == "Detected") > lines.Count(l => l.Name == "swap-completed");
});

// Every workload process an agent reports, with its start time read as the report arrives
// (while it surely runs), so the cleanup never kills another process that reused the pid.
void Remember(EventLine line)
{
    if (line.Name == "run-started" && int.TryParse(line["pid"], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
        && StartTimeOf(pid) is DateTime start)
    {
        workloadProcesses.TryAdd(pid, start);
    }
}

bool IsSame(int pid) => workloadProcesses.TryGetValue(pid, out DateTime start) && StartTimeOf(pid) == start;

void KillIfSame(int pid)
{
    if (!IsSame(pid))
    {
        return;
    }

    try
    {
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: false);
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
    {
        // Gone meanwhile.
    }
}

async Task<T> WaitAsync<T>(Func<T?> poll, string what, TimeSpan deadline)
    where T : class
{
    var clock = Stopwatch.StartNew();
    // Bounded by the deadline: one look every 20 ms.
    while (clock.Elapsed < deadline)
    {
        if (poll() is T result)
        {
            return result;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(20), cancel.Token);
    }

    throw new TimeoutException($"waited {deadline.TotalSeconds:F0} s for {what}");
}

static DateTime? StartTimeOf(int pid)
{
    try
    {
        using var process = Process.GetProcessById(pid);
        return process.HasExited ? null : process.StartTime;
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
    {
        return null;
    }
}

static int[] FreeUdpPorts(int count)
{
    // All held until all are read, so they differ.
    var sockets = new List<Socket>();
    try
    {
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sockets.Add(socket);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
    }
    finally
    {
        sockets.ForEach(s => s.Dispose());
    }
}

static void Say(string line) => Console.Out.WriteLine(line);
