using System.Globalization;
using System.Runtime.InteropServices;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>What the numbers were measured on, and how busy it was.</summary>
internal static class MachineInfo
{
    public static string Describe() =>
        $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}";

    /// <summary>The 1, 5 and 15 minute load averages, as <c>uptime</c> shows them; "unknown" off Linux.</summary>
    public static string LoadAverage()
    {
        const string Path = "/proc/loadavg";
        if (!File.Exists(Path))
        {
            return "unknown";
        }

        string[] fields = File.ReadAllText(Path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? string.Create(CultureInfo.InvariantCulture, $"{fields[0]}, {fields[1]}, {fields[2]}") : "unknown";
    }
}
