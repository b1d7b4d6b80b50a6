using System.Diagnostics;
using System.Reflection;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// A real OS process running the Failover.Sdk.AgentHost sample. Every line it prints on
/// standard output is kept, with the order it arrived in. Disposing kills it, by its process
/// id only (a SIGSTOPped one too).
/// </summary>
internal sealed class AgentHostProcess : IDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];

    private AgentHostProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Keep(_lines, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_errors, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string HostPath => typeof(AgentHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AgentHostPath").Value!;

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>How many lines it has printed so far: a mark to look for lines after.</summary>
    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    public static AgentHostProcess Start(string name, params string[] arguments)
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

        // Standard output carries the events; the log on standard error only warnings.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new AgentHostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), name);
    }

    /// <summary>The lines printed from index <paramref name="from"/> on.</summary>
    public IReadOnlyList<string> LinesFrom(int from = 0)
    {
        lock (_lines)
        {
            return _lines.Skip(from).ToArray();
        }
    }

    /// <summary>The first line from <paramref name="from"/> on that starts with <paramref name="prefix"/>, or null.</summary>
    public string? FindLine(string prefix, int from = 0) =>
        LinesFrom(from).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>What it printed, for a failure message.</summary>
    public string Transcript()
    {
        string[] lines, errors;
        lock (_lines)
        {
            lines = [.. _lines.TakeLast(30)];
        }

        lock (_errors)
        {
            errors = [.. _errors.TakeLast(15)];
        }

        return $"{Name} (pid {Id}) stdout: {string.Join(" | ", lines)}; stderr: {string.Join(" | ", errors)}";
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGKILL to this pid only; it also ends a stopped process.
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(ExitDeadline);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Keep(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }
}
