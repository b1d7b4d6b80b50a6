using System.Globalization;

namespace Failover.Sdk.Runners;

/// <summary>
/// The descendants of a process, found on Linux by walking <c>/proc</c> by parent id. Taken
/// before a stop, because once a parent has exited its children are re-parented and can no
/// longer be found from it.
/// </summary>
internal static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="processId"/> (children, their children, ...); empty off Linux.</summary>
    public static List<ProcStat> Descendants(int processId)
    {
        var result = new List<ProcStat>();
        if (!OperatingSystem.IsLinux())
        {
            return result;
        }

        var children = new Dictionary<int, List<ProcStat>>();
        foreach (ProcStat stat in All())
        {
            if (!children.TryGetValue(stat.ParentId, out List<ProcStat>? list))
            {
                children[stat.ParentId] = list = [];
            }

            list.Add(stat);
        }

        // Breadth first; the visited set bounds it even if /proc changed while it was read
        // into something that looks like a cycle.
        var visited = new HashSet<int> { processId };
        var pending = new Queue<int>();
        pending.Enqueue(processId);
        while (pending.TryDequeue(out int parent))
        {
            if (!children.TryGetValue(parent, out List<ProcStat>? list))
            {
                continue;
            }

            foreach (ProcStat child in list)
            {
                if (visited.Add(child.ProcessId))
                {
                    result.Add(child);
                    pending.Enqueue(child.ProcessId);
                }
            }
        }

        return result;
    }

    private static IEnumerable<ProcStat> All()
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            yield break;
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (string entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && ProcStat.TryRead(pid, out ProcStat stat) && !stat.IsDead)
            {
                yield return stat;
            }
        }
    }
}
