using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// POSIX signals sent to one process by its id: freeze a process the test started (SIGSTOP) so
/// its sockets stay open but nothing answers, thaw it again (SIGCONT), or kill it as a crash
/// would (SIGKILL).
/// </summary>
internal static partial class Signals
{
    // Linux numbering (x86-64 and arm64); other platforms number these differently.
    private const int SigStop = 19;
    private const int SigCont = 18;
    private const int SigKill = 9;

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Freezes the process: the kernel keeps its sockets, nothing reads or answers them.</summary>
    public static void Stop(int processId) => Send(processId, SigStop);

    /// <summary>Lets a frozen process run again.</summary>
    public static void Continue(int processId) => Send(processId, SigCont);

    /// <summary>Kills the process at once; it gets no chance to clean up.</summary>
    public static void Kill(int processId) => Send(processId, SigKill);

    private static void Send(int processId, int signal)
    {
        if (!Supported)
        {
            throw new PlatformNotSupportedException("Signals are sent with Linux signal numbers.");
        }

        // A pid of 0 or below addresses a process group, or every process we may signal.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        if (Kill(processId, signal) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"kill({processId}, {signal}) failed with errno {errno}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
