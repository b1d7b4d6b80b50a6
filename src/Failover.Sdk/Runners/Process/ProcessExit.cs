using System.Globalization;

namespace Failover.Sdk.Runners;

/// <summary>What a process's exit code says about how it ended by itself.</summary>
internal static class ProcessExit
{
    /// <summary>Linux signal names by number (x86-64 and arm64 numbering).</summary>
    private static readonly string[] LinuxSignalNames =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>
    /// An exit the process was not asked for: code 0 is <see cref="WorkloadExitKind.Completed"/>,
    /// anything else <see cref="WorkloadExitKind.Crashed"/>.
    /// </summary>
    /// <remarks>
    /// On Unix .NET reports a child killed by signal S as exit code 128 + S (as shells do), so
    /// 129 to 192 are told as signals; a program that calls exit(137) itself reads the same.
    /// </remarks>
    public static WorkloadExit Classify(int exitCode) => exitCode == 0
        ? new WorkloadExit(WorkloadExitKind.Completed, 0, "exit code 0")
        : new WorkloadExit(WorkloadExitKind.Crashed, exitCode, Describe(exitCode));

    /// <summary>"exit code N", or "killed by signal S (NAME)" for a signalled process on Unix.</summary>
    public static string Describe(int exitCode)
    {
        int signal = exitCode - 128;
        if (OperatingSystem.IsWindows() || signal is < 1 or > 64)
        {
            return $"exit code {exitCode.ToString(CultureInfo.InvariantCulture)}";
        }

        string number = signal.ToString(CultureInfo.InvariantCulture);
        return OperatingSystem.IsLinux() && signal < LinuxSignalNames.Length
            ? $"killed by signal {number} ({LinuxSignalNames[signal]})"
            : signal is UnixSignals.Kill or UnixSignals.Terminate
                ? $"killed by signal {number} ({(signal == UnixSignals.Kill ? "SIGKILL" : "SIGTERM")})"
                : $"killed by signal {number}";
    }
}
