using System.Text.Json.Nodes;

/// <summary>
/// The settings file every agent is given with <c>--settings</c>: the same workload list on
/// every node (FS-7) and the timings, as a user would write it in appsettings.json.
/// </summary>
internal static class DemoSettings
{
    /// <summary>The workloads and the node each starts on: every node runs one or two.</summary>
    public static readonly (string Id, uint HomeNode)[] Workloads = [("w1", 1), ("w2", 2), ("w3", 3), ("w4", 1)];

    public static JsonObject Build(string workloadProgram)
    {
        var workloads = new JsonArray();
        foreach ((string id, uint home) in Workloads)
        {
            // The apphost when there is one (the process is the program itself), else "dotnet program.dll".
            JsonObject process = File.Exists(AppHost(workloadProgram))
                ? new JsonObject { ["FileName"] = AppHost(workloadProgram) }
                : new JsonObject { ["FileName"] = "dotnet", ["Arguments"] = new JsonArray(workloadProgram) };
            process["StopTimeout"] = "00:00:02";
            workloads.Add(new JsonObject
            {
                ["Id"] = id,
                ["HomeNode"] = home,
                ["Process"] = process,
                // A key every 100 ms; three unanswered in a row and the workload has failed.
                ["Probe"] = new JsonObject { ["Kind"] = "KeyResponse", ["Interval"] = "00:00:00.100", ["MissedProbes"] = 3 },
            });
        }

        return new JsonObject
        {
            ["Failover"] = new JsonObject
            {
                ["Transport"] = "Udp",
                ["HeartbeatInterval"] = "00:00:00.050",
                // Lenient on a busy laptop: a peer is down after half a second of silence.
                ["MissedHeartbeats"] = 10,
                ["Swap"] = new JsonObject { ["CommandTimeout"] = "00:00:00.300", ["MonitorReadyTimeout"] = "00:00:05" },
                ["Workloads"] = workloads,
            },
        };
    }

    private static string AppHost(string dll) => Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
}
