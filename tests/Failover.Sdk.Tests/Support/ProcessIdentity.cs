using System.Diagnostics;
using System.Globalization;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// A process the tests saw start, named by its id and its start time from
/// <c>/proc/&lt;pid&gt;/stat</c>: the start time tells it from a later process that reuses the
/// id, so a test never signals a stranger. Linux only.
/// </summary>
/// <param name="ProcessId">The process id.</param>
/// <param name="StartTime">When it started, in clock ticks since boot.</param>
internal readonly record struct ProcessIdentity(int ProcessId, ulong StartTime)
{
    /// <summary>The identity of the live process <paramref name="processId"/>, or null when there is none.</summary>
    public static ProcessIdentity? Of(int processId) =>
        Read(processId) is { } stat && stat.State is not ('Z' or 'X') ? new ProcessIdentity(processId, stat.StartTime) : null;

    /// <summary>Whether it still runs (or is frozen): the same process, not a zombie.</summary>
    public bool IsAlive => Read(ProcessId) is { } stat && stat.StartTime == StartTime && stat.State is not ('Z' or 'X');

    /// <summary>Whether it is frozen by a signal (state T).</summary>
    public bool IsStopped => Read(ProcessId) is { } stat && stat.StartTime == StartTime && stat.State == 'T';

    /// <summary>Kills it (SIGKILL, by its id), if it is still this process; a frozen one too.</summary>
    public void KillIfAlive()
    {
        if (!IsAlive)
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            process.Kill(entireProcessTree: false);
        }
        catch (ArgumentException)
        {
            // Gone since the check.
        }
        catch (InvalidOperationException)
        {
            // Exited since the check.
        }
    }

    private static (char State, ulong StartTime)? Read(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name may hold spaces and ')': fields are counted from the last ')'.
        // After it: field 3 (state) ... field 22 (starttime).
        string[] fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            ? (fields[0][0], start)
            : null;
    }
}
