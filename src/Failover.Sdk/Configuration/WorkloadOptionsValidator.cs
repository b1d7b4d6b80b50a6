using System.Globalization;
using Failover.Sdk.Coordination;
using Failover.Sdk.Workloads;

namespace Failover.Sdk.Configuration;

/// <summary>
/// The part of <see cref="FailoverOptionsValidator"/> that checks the workload catalog and the
/// swap's timeouts. Every message names the option by its configuration path and quotes the bad value.
/// </summary>
internal static class WorkloadOptionsValidator
{
    internal const int MaximumMissedProbes = 1000;
    internal const int MaximumCommandAttempts = 100;
    private const int MinimumSecretLength = 16;

    public static void Validate(FailoverOptions options, List<string> failures)
    {
        const string S = FailoverOptions.SectionName;
        ValidateSwap(options.Swap, failures);
        var nodes = new HashSet<uint>(options.Peers.Select(p => p.NodeId)) { options.NodeId };
        foreach (IGrouping<uint, FailoverPeerOptions> peer in options.Peers.GroupBy(p => p.NodeId))
        {
            if (peer.Select(p => p.Lan ?? "").Distinct(StringComparer.Ordinal).Count() > 1)
            {
                failures.Add($"{S}:Peers: node {peer.Key} is listed with different Lan values ({string.Join(", ", peer.Select(p => $"'{p.Lan}'"))}); a node is on one LAN.");
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var wireIds = new Dictionary<uint, string>();
        for (int i = 0; i < options.Workloads.Count; i++)
        {
            FailoverWorkloadOptions workload = options.Workloads[i];
            string at = $"{S}:Workloads:{i}";
            if (workload is null)
            {
                failures.Add($"{at} is empty.");
                continue;
            }

            try
            {
                WorkloadIds.Validate(workload.Id);
                if (!ids.Add(workload.Id))
                {
                    failures.Add($"{at}:Id is '{workload.Id}', which an earlier workload already has; workload ids must be unique.");
                }
                else if (wireIds.TryGetValue(WorkloadWireIds.Of(workload.Id), out string? other))
                {
                    failures.Add($"{at}:Id '{workload.Id}' has the same wire id as '{other}'; rename one of them.");
                }
                else
                {
                    wireIds[WorkloadWireIds.Of(workload.Id)] = workload.Id;
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{at}:Id: {ex.Message.Split(" (Parameter", 2)[0]}");
            }

            if (!Enum.IsDefined(workload.Kind))
            {
                failures.Add($"{at}:Kind is {(int)workload.Kind}; it must be Process, HostedService, Task or Thread.");
            }
            else if (workload.Kind == WorkloadKind.Process)
            {
                ValidateProcess(workload.Process, $"{at}:Process", failures);
            }

            ValidateProbe(workload.Probe, $"{at}:Probe", failures);
            ValidateRestart(workload.Restart, $"{at}:Restart", failures);
            ValidateNodes(workload, nodes, at, failures);
        }
    }

    private static void ValidateSwap(FailoverSwapOptions swap, List<string> failures)
    {
        const string W = FailoverOptions.SectionName + ":Swap";
        CheckInterval($"{W}:CommandTimeout", swap.CommandTimeout, failures);
        CheckInterval($"{W}:MonitorReadyTimeout", swap.MonitorReadyTimeout, failures);
        if (swap.CommandAttempts is < 1 or > MaximumCommandAttempts)
        {
            failures.Add($"{W}:CommandAttempts is {Format(swap.CommandAttempts)}; it must be between 1 and {MaximumCommandAttempts}.");
        }
    }

    private static void ValidateProcess(FailoverProcessOptions process, string at, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(process.FileName))
        {
            failures.Add($"{at}:FileName is empty; a Process workload needs the program to run.");
        }
        else if (process.FileName.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{at}:FileName contains a NUL character.");
        }

        for (int i = 0; i < process.Arguments.Count; i++)
        {
            if (process.Arguments[i] is null || process.Arguments[i].Contains('\0', StringComparison.Ordinal))
            {
                failures.Add($"{at}:Arguments:{i} is null or contains a NUL character.");
            }
        }

        foreach (string name in process.Environment.Keys)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                failures.Add($"{at}:Environment has a variable named '{name}'; names are non-empty without '=' or NUL.");
            }
        }

        CheckInterval($"{at}:StopTimeout", process.StopTimeout, failures);
    }

    private static void ValidateProbe(FailoverProbeOptions probe, string at, List<string> failures)
    {
        if (!Enum.IsDefined(probe.Kind))
        {
            failures.Add($"{at}:Kind is {(int)probe.Kind}; it must be KeyResponse or Heartbeat.");
        }

        CheckInterval($"{at}:Interval", probe.Interval, failures);
        if (probe.Timeout is { } timeout && (timeout < FailoverOptionsValidator.MinimumInterval || timeout > probe.Interval))
        {
            failures.Add($"{at}:Timeout is {Format(timeout)}; it must be between {Format(FailoverOptionsValidator.MinimumInterval)} and the Interval ({Format(probe.Interval)}), so one key is outstanding at a time.");
        }

        if (probe.MissedProbes is < 1 or > MaximumMissedProbes)
        {
            failures.Add($"{at}:MissedProbes is {Format(probe.MissedProbes)}; it must be between 1 and {MaximumMissedProbes}.");
        }

        if (probe.Secret is { } secret)
        {
            // A secret: the message gives its length, never its value.
            byte[] buffer = new byte[secret.Length];
            if (!Convert.TryFromBase64String(secret, buffer, out int length))
            {
                failures.Add($"{at}:Secret (a value of {secret.Length} characters) is not valid base64.");
            }
            else if (length < MinimumSecretLength)
            {
                failures.Add($"{at}:Secret decodes to {length} bytes; it must be at least {MinimumSecretLength}.");
            }
        }
    }

    private static void ValidateRestart(FailoverRestartOptions restart, string at, List<string> failures)
    {
        CheckInterval($"{at}:StableAfter", restart.StableAfter, failures);
        CheckInterval($"{at}:BackoffInitial", restart.BackoffInitial, failures);
        if (restart.BackoffMax < restart.BackoffInitial || restart.BackoffMax > FailoverOptionsValidator.MaximumInterval)
        {
            failures.Add($"{at}:BackoffMax is {Format(restart.BackoffMax)}; it must be between BackoffInitial ({Format(restart.BackoffInitial)}) and {Format(FailoverOptionsValidator.MaximumInterval)}.");
        }

        if (restart.MaxFailures is < 1 or > byte.MaxValue - 1)
        {
            failures.Add($"{at}:MaxFailures is {Format(restart.MaxFailures)}; it must be between 1 and {byte.MaxValue - 1}.");
        }
    }

    private static void ValidateNodes(FailoverWorkloadOptions workload, HashSet<uint> nodes, string at, List<string> failures)
    {
        foreach (uint node in workload.Nodes.Where(n => !nodes.Contains(n)))
        {
            failures.Add($"{at}:Nodes names node {node}, which is neither this node nor a configured peer.");
        }

        foreach (uint node in workload.MonitorNodes.Where(n => !nodes.Contains(n)))
        {
            failures.Add($"{at}:MonitorNodes names node {node}, which is neither this node nor a configured peer.");
        }

        if (workload.HomeNode is { } home && (!nodes.Contains(home) || (workload.Nodes.Count > 0 && !workload.Nodes.Contains(home))))
        {
            failures.Add($"{at}:HomeNode is {home}; it must be a node of the cluster the workload may run on.");
        }
    }

    private static void CheckInterval(string option, TimeSpan value, List<string> failures)
    {
        if (value < FailoverOptionsValidator.MinimumInterval || value > FailoverOptionsValidator.MaximumInterval)
        {
            failures.Add($"{option} is {Format(value)}; it must be between {Format(FailoverOptionsValidator.MinimumInterval)} and {Format(FailoverOptionsValidator.MaximumInterval)}.");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
