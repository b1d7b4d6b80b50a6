namespace Failover.Sdk.Runners;

/// <summary>
/// Finds the program a process workload names, before anything is started, so that a typo is
/// a clear <see cref="WorkloadStartException"/> and what was checked is exactly what runs.
/// </summary>
internal static class ExecutableLookup
{
    /// <summary>
    /// The full path of <paramref name="fileName"/>: a path (relative ones against the working
    /// folder when set, else the agent's), or a bare name looked up on the agent's PATH.
    /// </summary>
    /// <param name="workloadId">The workload, for the error.</param>
    /// <param name="fileName">The configured program.</param>
    /// <param name="workingDirectory">The absolute working folder, when one is set.</param>
    /// <exception cref="WorkloadStartException">No such program, a folder, or not executable.</exception>
    public static string Resolve(string workloadId, string? fileName, string? workingDirectory)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            throw new WorkloadStartException(workloadId, "no program is configured (Process.FileName is empty).");
        }

        if (IsPath(fileName))
        {
            string full;
            try
            {
                full = Path.GetFullPath(fileName, workingDirectory ?? Environment.CurrentDirectory);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                throw new WorkloadStartException(workloadId, $"the program '{fileName}' is not a valid path: {ex.Message}", ex);
            }

            string? problem = Problem(full);
            return problem is null ? full : throw new WorkloadStartException(workloadId, $"the program '{full}' {problem}.");
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A relative entry (".", "bin") would make what runs depend on the agent's
            // current folder: the classic PATH hijack, so such entries are skipped.
            if (!Path.IsPathFullyQualified(folder))
            {
                continue;
            }

            foreach (string candidate in Candidates(folder, fileName))
            {
                if (Problem(candidate) is null)
                {
                    return candidate;
                }
            }
        }

        throw new WorkloadStartException(workloadId, $"the program '{fileName}' was not found on PATH.");
    }

    private static bool IsPath(string fileName) =>
        fileName.Contains('/', StringComparison.Ordinal)
        || (OperatingSystem.IsWindows() && (fileName.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(fileName)));

    private static IEnumerable<string> Candidates(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        yield return path;
        if (OperatingSystem.IsWindows() && !Path.HasExtension(name))
        {
            foreach (string extension in (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return path + extension;
            }
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be run, or null when it can.</summary>
    private static string? Problem(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a folder, not a file";
        }

        if (!File.Exists(path))
        {
            return "does not exist";
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((File.GetUnixFileMode(path) & anyExecute) == 0)
            {
                return "is not executable";
            }
        }

        return null;
    }
}
