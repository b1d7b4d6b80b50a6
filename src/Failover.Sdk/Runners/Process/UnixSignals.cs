using System.Runtime.InteropServices;

namespace Failover.Sdk.Runners;

/// <summary>
/// POSIX signals sent to one process by its id, through libc's <c>kill()</c>: .NET can only
/// SIGKILL a process, and a graceful stop needs SIGTERM.
/// </summary>
internal static partial class UnixSignals
{
    /// <summary>SIGKILL: the same number on every Unix.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM: the same number on every Unix.</summary>
    public const int Terminate = 15;

    /// <summary>ESRCH: no such process (it has already gone).</summary>
    public const int NoSuchProcess = 3;

    /// <summary>SIGSTOP, which freezes a process (Linux numbering; the BSDs and macOS use 17).</summary>
    public static int Stop => OperatingSystem.IsLinux() ? 19 : 17;

    /// <summary>SIGCONT, which thaws a frozen process (Linux numbering; the BSDs and macOS use 19).</summary>
    public static int Continue => OperatingSystem.IsLinux() ? 18 : 19;

    /// <summary>Sends <paramref name="signal"/> to the process <paramref name="processId"/>.</summary>
    /// <returns>0 when it was sent, otherwise the errno (e.g. <see cref="NoSuchProcess"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="processId"/> is 0 or negative: kill() would signal a process group or
    /// every process the agent may signal.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">On Windows, which has no signals.</exception>
    public static int Send(int processId, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Windows has no POSIX signals.");
        }

        return SendSignal(processId, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int sig);
}
