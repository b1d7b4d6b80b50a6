using System.Diagnostics;
using System.Reflection;

/// <summary>
/// One agent: <c>dotnet Failover.Sdk.AgentHost.dll ...</c> as a process of its own, its
/// standard output read line by line. The workloads it starts share that output, so their own
/// lines arrive here too.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<EventLine> _lines = [];

    private AgentProcess(uint node, Process process, Action<EventLine> onLine)
    {
        Node = node;
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                var line = new EventLine(node, e.Data);
                lock (_lines)
                {
                    _lines.Add(line);
                }

                onLine(line);
            }
        };

        // The agent's log (warnings and errors) is not shown; read it so its pipe never fills.
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string HostPath => Metadata("AgentHostPath");

    public uint Node { get; }

    public int ProcessId => _process.Id;

    public IReadOnlyList<EventLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the agent; <paramref name="onLine"/> sees each line as it is read, on the reading thread.</summary>
    public static AgentProcess Start(uint node, IEnumerable<string> arguments, Action<EventLine> onLine)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new AgentProcess(node, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), onLine);
    }

    public static string Metadata(string key) =>
        typeof(AgentProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Kills the agent (by its pid, and only it): the workloads it started are left to the caller.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It has exited meanwhile.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
