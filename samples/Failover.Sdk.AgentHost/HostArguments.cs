using System.Globalization;

/// <summary>
/// The sample's short switches. Most name a configuration key; the lease ones take plain
/// numbers (seconds, milliseconds), which the configuration binder would read as days, so
/// they are rewritten as full keys with time-span values first.
/// </summary>
internal static class HostArguments
{
    public static readonly Dictionary<string, string> Switches = new()
    {
        ["--node"] = "Failover:NodeId",
        ["--transport"] = "Failover:Transport",
        ["--listen"] = "Failover:Paths:0:LocalEndPoint",
        ["--peer-id"] = "Failover:Peers:0:NodeId",
        ["--peer"] = "Failover:Peers:0:EndPoint",
        ["--interval"] = "Failover:HeartbeatInterval",
        ["--missed"] = "Failover:MissedHeartbeats",
        ["--key"] = "Failover:AuthenticationKey",
        ["--etcd"] = "Failover:Etcd:Endpoints",
        ["--etcd-prefix"] = "Failover:Etcd:KeyPrefix",
        ["--workload"] = "AgentHost:Workload",
        ["--fenced-resource"] = "AgentHost:FencedResource",
    };

    private static readonly Dictionary<string, (Func<double, TimeSpan> Unit, string[] Keys)> TimeSwitches = new()
    {
        ["--lease-ttl"] = (TimeSpan.FromSeconds, ["Failover:Coordination:LeaseTimeToLive"]),
        ["--lease-margin"] = (TimeSpan.FromMilliseconds, ["Failover:Coordination:LeaseSafetyMargin"]),
        ["--request-timeout"] = (TimeSpan.FromMilliseconds, ["Failover:Coordination:RequestTimeout", "Failover:Etcd:RequestTimeout"]),
    };

    /// <summary>
    /// Takes the <c>--settings FILE</c> switches out of <paramref name="args"/>: each names a
    /// JSON file added as configuration (lists such as <c>Failover:Workloads</c> read better
    /// there), in the order given, before the command line, whose keys win.
    /// </summary>
    /// <returns>The other arguments, and the settings files as full paths.</returns>
    /// <exception cref="ArgumentException">A <c>--settings</c> has no file after it, or the file does not exist.</exception>
    public static (string[] Switches, IReadOnlyList<string> SettingsFiles) TakeSettings(string[] args)
    {
        var rest = new List<string>(args.Length);
        var files = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string? file = null;
            if (args[i] == "--settings")
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException("--settings needs the path of a JSON file after it.");
                }

                file = args[++i];
            }
            else if (args[i].StartsWith("--settings=", StringComparison.Ordinal))
            {
                file = args[i]["--settings=".Length..];
            }

            if (file is null)
            {
                rest.Add(args[i]);
                continue;
            }

            string path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new ArgumentException($"--settings names '{path}', which does not exist.");
            }

            files.Add(path);
        }

        return ([.. rest], files);
    }

    /// <summary>Rewrites <c>--lease-ttl 3</c> as <c>--Failover:Coordination:LeaseTimeToLive=00:00:03</c>, and so on; the rest passes as is.</summary>
    public static string[] Rewrite(string[] args)
    {
        var result = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (!TimeSwitches.TryGetValue(args[i], out var time))
            {
                result.Add(args[i]);
                continue;
            }

            if (i + 1 >= args.Length || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || !(amount > 0))
            {
                throw new ArgumentException($"{args[i]} needs a positive number after it.");
            }

            string value = time.Unit(amount).ToString("c", CultureInfo.InvariantCulture);
            result.AddRange(time.Keys.Select(key => $"--{key}={value}"));
            i++;
        }

        return [.. result];
    }
}
