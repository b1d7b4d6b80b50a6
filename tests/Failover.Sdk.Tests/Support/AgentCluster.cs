using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// Agents as real OS processes (the AgentHost sample) on 127.0.0.1 UDP, a full mesh, each
/// running real process workloads (the TestWorkload program) from one settings file that
/// every node is given with <c>--settings</c>. Their output lines are parsed as they come; the
/// pid of every workload run any agent reports is remembered with its start time.
/// </summary>
/// <remarks>
/// Disposing ends everything the test started, by pid: the agents first, then every workload
/// process still alive. A workload can outlive its agent: one whose agent was killed is
/// orphaned and runs on, and no agent is left to stop it.
/// </remarks>
internal sealed class AgentCluster : IDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    private readonly Dictionary<uint, ClusterAgent> _agents = [];
    private readonly List<ProcessIdentity> _workloadProcesses = [];
    private readonly string _folder;

    private AgentCluster(string folder, ClusterSettings settings)
    {
        _folder = folder;
        Settings = settings;
    }

    public ClusterSettings Settings { get; }

    public IReadOnlyCollection<uint> Nodes => _agents.Keys;

    public ClusterAgent this[uint node] => _agents[node];

    /// <summary>The TestWorkload program: its apphost beside its dll (the pid is the program's own).</summary>
    public static string TestWorkloadPath
    {
        get
        {
            string dll = typeof(AgentCluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TestWorkloadPath").Value!;
            return Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        }
    }

    /// <summary>Starts the agents and waits until each has printed <c>ready</c>.</summary>
    /// <param name="settings">The cluster: nodes, workloads, timings.</param>
    /// <param name="extraArguments">More arguments for a node's agent (e.g. <c>--etcd</c>).</param>
    public static async Task<AgentCluster> StartAsync(ClusterSettings settings, Func<uint, IEnumerable<string>>? extraArguments = null)
    {
        string folder = Directory.CreateTempSubdirectory("failover-cluster-").FullName;
        var cluster = new AgentCluster(folder, settings);
        try
        {
            string settingsFile = Path.Combine(folder, "settings.json");
            await File.WriteAllTextAsync(settingsFile, settings.ToJson().ToJsonString());
            uint[] nodes = [.. Enumerable.Range(1, settings.Nodes).Select(n => (uint)n)];
            int[] ports = FreeUdpPorts(nodes.Length);
            foreach (uint node in nodes)
            {
                var arguments = new List<string>
                {
                    "--settings", settingsFile,
                    "--node", node.ToString(CultureInfo.InvariantCulture),
                    "--listen", $"127.0.0.1:{ports[node - 1]}",
                };
                int peer = 0;
                foreach (uint other in nodes.Where(n => n != node))
                {
                    arguments.Add($"--Failover:Peers:{peer}:NodeId={other}");
                    arguments.Add($"--Failover:Peers:{peer}:EndPoint=127.0.0.1:{ports[other - 1]}");
                    peer++;
                }

                arguments.AddRange(extraArguments?.Invoke(node) ?? []);
                cluster._agents[node] = ClusterAgent.Start(node, arguments, cluster.OnLine);
            }

            await cluster.WaitAsync(() => cluster._agents.Values.All(a => a.Lines.Any(l => l.Name == "ready" && l["node"] is not null)), "every agent is ready", ReadyDeadline);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The identity of workload process <paramref name="processId"/> as captured when its run-started line arrived.</summary>
    public ProcessIdentity IdentityOf(int processId)
    {
        lock (_workloadProcesses)
        {
            return _workloadProcesses.LastOrDefault(p => p.ProcessId == processId) is { ProcessId: > 0 } found
                ? found
                : throw new InvalidOperationException($"No workload process {processId} was seen alive when its run was reported.");
        }
    }

    /// <summary>Every line of every agent, in the order each agent printed them.</summary>
    public IEnumerable<AgentLine> AllLines => _agents.Values.SelectMany(a => a.Lines);

    /// <summary>How many lines each agent has printed: a mark to look for lines after.</summary>
    public Dictionary<uint, int> Mark() => _agents.ToDictionary(a => a.Key, a => a.Value.Lines.Count);

    /// <summary>The lines printed after <paramref name="mark"/>.</summary>
    public IEnumerable<AgentLine> LinesAfter(Dictionary<uint, int> mark) =>
        _agents.Values.SelectMany(a => a.Lines.Skip(mark.GetValueOrDefault(a.Node)));

    /// <summary>
    /// Where each workload runs now, as the agents' lines tell: the latest <c>run-started</c>
    /// whose run has not ended, on an agent still running.
    /// </summary>
    public Dictionary<string, AgentLine> CurrentRuns()
    {
        var runs = new Dictionary<string, AgentLine>(StringComparer.Ordinal);
        foreach (ClusterAgent agent in _agents.Values.Where(a => !a.HasExited))
        {
            IReadOnlyList<AgentLine> lines = agent.Lines;
            foreach (AgentLine started in lines.Where(l => l.Name == "run-started"))
            {
                bool ended = lines.Any(l => l.Index > started.Index && l.Name == "run-ended" && l["id"] == started["id"] && l["token"] == started["token"]);
                if (!ended && (!runs.TryGetValue(started["id"]!, out AgentLine? other) || other.At < started.At))
                {
                    runs[started["id"]!] = started;
                }
            }
        }

        return runs;
    }

    /// <summary>The node whose monitor of <paramref name="run"/> is operational (it had a good answer from that very run), or 0.</summary>
    public uint OperationalMonitorOf(AgentLine run) =>
        _agents.Values.Where(a => !a.HasExited && a.Node != run.Node)
            .FirstOrDefault(a => a.Lines.Any(l => l.Is("monitor-operational", run["id"]!) && l.UInt("runner") == run.Node && l["token"] == run["token"]))?.Node ?? 0;

    /// <summary>Whether a swap has begun (its Detected step) that has not completed on the same node.</summary>
    public bool SwapUnderWay() =>
        _agents.Values.Where(a => !a.HasExited).Any(a =>
        {
            IReadOnlyList<AgentLine> lines = a.Lines;
            return lines.Count(l => l.Name == "swap-step" && l["step"] == "Detected") > lines.Count(l => l.Name == "swap-completed");
        });

    /// <summary>
    /// Waits until every workload runs on one node, is watched by an operational monitor on
    /// another, and no swap is under way; returns the runs.
    /// </summary>
    public async Task<Dictionary<string, AgentLine>> WaitUntilSteadyAsync(TimeSpan deadline)
    {
        await WaitAsync(
            () =>
            {
                Dictionary<string, AgentLine> runs = CurrentRuns();
                return Settings.Workloads.All(w => runs.TryGetValue(w.Id, out AgentLine? run) && OperationalMonitorOf(run) != 0) && !SwapUnderWay();
            },
            "every workload runs and is monitored, no swap under way",
            deadline);
        return CurrentRuns();
    }

    /// <summary>Waits for the first line after <paramref name="mark"/> that <paramref name="match"/> accepts.</summary>
    public async Task<AgentLine> WaitForLineAsync(Dictionary<uint, int> mark, Func<AgentLine, bool> match, string what, TimeSpan deadline)
    {
        AgentLine? found = null;
        await WaitAsync(() => (found = LinesAfter(mark).FirstOrDefault(match)) is not null, what, deadline);
        return found!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with every agent's transcript at the deadline.</summary>
    public async Task WaitAsync(Func<bool> condition, string what, TimeSpan deadline)
    {
        long started = Stopwatch.GetTimestamp();
        // Bounded by the deadline; each turn waits one poll interval.
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                Assert.Fail($"Not seen within {deadline}: {what}.{Environment.NewLine}{Transcript()}");
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>What every agent printed lately.</summary>
    public string Transcript() => string.Join(Environment.NewLine, _agents.Values.Select(a => a.Transcript()));

    public void Dispose()
    {
        foreach (ClusterAgent agent in _agents.Values)
        {
            agent.Dispose();
        }

        // The agents are gone; whatever workload process is left is an orphan nobody will stop
        // (its agent was killed, or died before stopping it). Only those the agents reported
        // are ended, each checked against its start time so a reused pid is left alone.
        ProcessIdentity[] workloads;
        lock (_workloadProcesses)
        {
            workloads = [.. _workloadProcesses];
        }

        foreach (ProcessIdentity workload in workloads)
        {
            workload.KillIfAlive();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
    }

    private void OnLine(AgentLine line)
    {
        // Captured as the line arrives, while the process is surely still the one it names.
        if (line.Name == "run-started" && line["pid"] is { } pid && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            && ProcessIdentity.Of(id) is { } identity)
        {
            lock (_workloadProcesses)
            {
                _workloadProcesses.Add(identity);
            }
        }
    }

    private static int[] FreeUdpPorts(int count)
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
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
