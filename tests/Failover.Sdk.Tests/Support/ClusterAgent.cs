using System.Diagnostics;
using System.Reflection;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// One agent of an <see cref="AgentCluster"/>: a real OS process running the
/// Failover.Sdk.AgentHost sample, every line of its standard output kept as an
/// <see cref="AgentLine"/> (its workloads inherit that output: their own lines land here too)
/// and its log on standard error kept for failure messages and log assertions.
/// </summary>
internal sealed class ClusterAgent : IDisposable
{
    private const int ErrorLinesKept = 4000;
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<AgentLine> _lines = [];
    private readonly List<string> _errors = [];
    private readonly Action<AgentLine> _onLine;

    private ClusterAgent(uint node, Process process, Action<AgentLine> onLine)
    {
        Node = node;
        _process = process;
        _onLine = onLine;
        Identity = ProcessIdentity.Of(process.Id);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => KeepError(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string HostPath => typeof(ClusterAgent).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AgentHostPath").Value!;

    public uint Node { get; }

    public int ProcessId => _process.Id;

    /// <summary>The agent process itself, to tell whether it is still the same one.</summary>
    public ProcessIdentity? Identity { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet AgentHost.dll arguments...</c>; <paramref name="onLine"/> sees every stdout line as it is read.</summary>
    public static ClusterAgent Start(uint node, IEnumerable<string> arguments, Action<AgentLine> onLine)
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

        // Standard output carries the events; the log on standard error only warnings and up.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new ClusterAgent(node, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), onLine);
    }

    public IReadOnlyList<AgentLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Waits for the agent to exit by itself, up to <paramref name="deadline"/>; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>What it printed lately, for a failure message.</summary>
    public string Transcript(int lines = 40)
    {
        string[] output = [.. Lines.TakeLast(lines).Select(l => l.Text)];
        string[] errors = [.. Errors.Where(e => !e.StartsWith(' ')).TakeLast(10)];
        return $"node {Node} (pid {ProcessId}{(HasExited ? ", exited" : "")}):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", output)}{Environment.NewLine}  log: {string.Join(" | ", errors)}";
    }

    /// <summary>SIGKILL to the agent's pid only, as a crash would: the workloads it started live on, orphaned.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(ExitDeadline);
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Keep(string? text)
    {
        if (text is null)
        {
            return;
        }

        AgentLine line;
        lock (_lines)
        {
            line = new AgentLine(Node, _lines.Count, Stopwatch.GetTimestamp(), text);
            _lines.Add(line);
        }

        _onLine(line);
    }

    private void KeepError(string? text)
    {
        if (text is null)
        {
            return;
        }

        lock (_errors)
        {
            if (_errors.Count < ErrorLinesKept)
            {
                _errors.Add(text);
            }
        }
    }
}
