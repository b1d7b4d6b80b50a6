namespace Failover.Sdk.Configuration;

/// <summary>How to start and stop an operating-system process workload.</summary>
public sealed class FailoverProcessOptions
{
    /// <summary>The program to run: a path, or a name looked up on <c>PATH</c>. Never run through a shell.</summary>
    public string? FileName { get; set; }

    /// <summary>The arguments, one list entry per argument, passed as they are (no shell, no quoting rules).</summary>
    public IList<string> Arguments { get; set; } = [];

    /// <summary>Environment variables added to (or replacing those of) the agent's environment.</summary>
    public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The working folder; the agent's own when unset.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// How long a graceful stop (SIGTERM on Unix) may take before the process and all its
    /// descendants are killed. Default 5 s.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
