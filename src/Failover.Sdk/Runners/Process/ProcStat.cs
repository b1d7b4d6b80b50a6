using System.Globalization;

namespace Failover.Sdk.Runners;

/// <summary>
/// One process as Linux's <c>/proc/&lt;pid&gt;/stat</c> shows it: its state letter, its parent
/// and its start time. The start time (clock ticks since boot) tells a process from a later
/// one that reuses its id, so a stale pid is never signalled.
/// </summary>
/// <param name="ProcessId">The process id.</param>
/// <param name="State">The state letter: R, S, D, T, t, Z (zombie), X (dead), ...</param>
/// <param name="ParentId">The parent's process id.</param>
/// <param name="StartTime">When it started, in clock ticks since boot.</param>
/// <param name="Threads">How many threads it has.</param>
internal readonly record struct ProcStat(int ProcessId, char State, int ParentId, ulong StartTime, int Threads)
{
    /// <summary>Whether the process has ended and only its entry is left (a zombie, or dead while being reaped).</summary>
    /// <remarks>
    /// A process whose main thread has exited while others run also shows state Z, the
    /// main thread's; it is alive, and tells itself apart by its other threads.
    /// </remarks>
    public bool IsDead => State is 'Z' or 'X' && Threads <= 1;

    /// <summary>Whether <paramref name="other"/> is the same process: the same id and start time.</summary>
    public bool IsSameProcess(ProcStat other) => ProcessId == other.ProcessId && StartTime == other.StartTime;

    /// <summary>Reads the entry of <paramref name="processId"/>; false when it does not exist (or this is not Linux).</summary>
    public static bool TryRead(int processId, out ProcStat stat)
    {
        stat = default;
        if (!OperatingSystem.IsLinux() || processId <= 0)
        {
            return false;
        }

        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            // Gone (FileNotFound, DirectoryNotFound) or going (ESRCH while reading).
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        return TryParse(processId, text, out stat);
    }

    /// <summary>Whether <paramref name="identity"/> still names a live process: same id, same start time, not a zombie.</summary>
    public static bool IsAlive(ProcStat identity) =>
        TryRead(identity.ProcessId, out ProcStat now) && now.IsSameProcess(identity) && !now.IsDead;

    /// <summary>Parses the text of a stat file.</summary>
    /// <remarks>
    /// The command name (field 2) is in parentheses and may itself hold spaces and ')', so the
    /// fields are counted from the last ')'.
    /// </remarks>
    internal static bool TryParse(int processId, string text, out ProcStat stat)
    {
        stat = default;
        int close = text.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        // After ") ": field 3 (state), 4 (ppid), ... 20 (num_threads), ... 22 (starttime).
        string[] fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            || !int.TryParse(fields[17], NumberStyles.None, CultureInfo.InvariantCulture, out int threads)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return false;
        }

        stat = new ProcStat(processId, fields[0][0], parent, start, threads);
        return true;
    }
}
