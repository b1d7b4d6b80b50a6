using Failover.Sdk.Configuration;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Tests.Configuration;

/// <summary>
/// The workload catalog's and the swap's options, checked through the options pipeline
/// <c>AddFailover()</c> sets up: every message names the option by its path and quotes the bad value.
/// </summary>
public class WorkloadOptionsValidationTests
{
    /// <summary>A valid cluster of three nodes with one process workload, changed by <paramref name="change"/>.</summary>
    private static FailoverOptions Resolve(Action<FailoverOptions> change, IConfiguration? configuration = null)
    {
        var services = new ServiceCollection();
        if (configuration is not null)
        {
            services.AddSingleton(configuration);
        }

        services.AddFailover(o =>
        {
            o.NodeId = 1;
            o.Peers.Add(new FailoverPeerOptions { NodeId = 2 });
            o.Peers.Add(new FailoverPeerOptions { NodeId = 3 });
            if (o.Workloads.Count == 0)
            {
                o.Workloads.Add(new FailoverWorkloadOptions { Id = "w", Process = { FileName = "/usr/bin/sleep", Arguments = ["60"] } });
            }

            change(o);
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FailoverOptions>>().Value;
    }

    private static string[] Failures(Action<FailoverOptions> change, IConfiguration? configuration = null) =>
        [.. Assert.Throws<OptionsValidationException>(() => Resolve(change, configuration)).Failures];

    private static void Change(FailoverOptions o, string rule)
    {
        FailoverWorkloadOptions w = o.Workloads[0];
        switch (rule)
        {
            case "Swap.CommandTimeout": o.Swap.CommandTimeout = TimeSpan.Zero; break;
            case "Swap.MonitorReadyTimeout": o.Swap.MonitorReadyTimeout = TimeSpan.FromHours(2); break;
            case "Swap.CommandAttempts low": o.Swap.CommandAttempts = 0; break;
            case "Swap.CommandAttempts high": o.Swap.CommandAttempts = 101; break;
            case "Peers.Lan":
                o.Peers[0].Lan = "a";
                o.Peers.Add(new FailoverPeerOptions { NodeId = 2, PathId = 2, Lan = "b" });
                break;
            case "Id duplicate": o.Workloads.Add(new FailoverWorkloadOptions { Id = "w", Kind = WorkloadKind.Task }); break;
            case "Id wire collision":
                // FNV-1a maps both to 0x594f30f6 (WorkloadWireIdsTests checks it independently).
                o.Workloads.Add(new FailoverWorkloadOptions { Id = "w673879", Kind = WorkloadKind.Task });
                o.Workloads.Add(new FailoverWorkloadOptions { Id = "w1180600", Kind = WorkloadKind.Task });
                break;
            case "Id characters": w.Id = "bad id"; break;
            case "Id empty": w.Id = ""; break;
            case "Workload null": o.Workloads.Add(null!); break;
            case "Kind": w.Kind = (WorkloadKind)9; break;
            case "Process.FileName empty": w.Process.FileName = "  "; break;
            case "Process.FileName NUL": w.Process.FileName = "/usr/bin/sleep\0x"; break;
            case "Process.Arguments": w.Process.Arguments = ["60", "a\0b"]; break;
            case "Process.Environment": w.Process.Environment["A=B"] = "x"; break;
            case "Process.StopTimeout": w.Process.StopTimeout = TimeSpan.Zero; break;
            case "Probe.Kind": w.Probe.Kind = (WorkloadProbeKind)5; break;
            case "Probe.Interval": w.Probe.Interval = TimeSpan.Zero; break;
            case "Probe.Timeout": w.Probe.Timeout = TimeSpan.FromSeconds(2); break;
            case "Probe.MissedProbes low": w.Probe.MissedProbes = 0; break;
            case "Probe.MissedProbes high": w.Probe.MissedProbes = 1001; break;
            case "Probe.Secret short": w.Probe.Secret = Convert.ToBase64String(new byte[8]); break;
            case "Restart.StableAfter": w.Restart.StableAfter = TimeSpan.Zero; break;
            case "Restart.BackoffInitial": w.Restart.BackoffInitial = TimeSpan.Zero; break;
            case "Restart.BackoffMax": w.Restart.BackoffMax = TimeSpan.FromMilliseconds(500); break;
            case "Restart.MaxFailures low": w.Restart.MaxFailures = 0; break;
            case "Restart.MaxFailures high": w.Restart.MaxFailures = 255; break;
            case "Nodes": w.Nodes = [1, 9]; break;
            case "MonitorNodes": w.MonitorNodes = [2, 8]; break;
            case "HomeNode unknown": w.HomeNode = 9; break;
            case "HomeNode outside Nodes": w.Nodes = [1, 2]; w.HomeNode = 3; break;
            default: throw new ArgumentOutOfRangeException(nameof(rule), rule, "no such rule in this test");
        }
    }

    [Fact]
    public void The_valid_cluster_passes_and_in_process_kinds_need_no_program()
    {
        FailoverOptions options = Resolve(o =>
        {
            o.Workloads.Add(new FailoverWorkloadOptions { Id = "task", Kind = WorkloadKind.Task, Nodes = [2, 3], MonitorNodes = [1], HomeNode = 2 });
            o.Workloads.Add(new FailoverWorkloadOptions { Id = "thread", Kind = WorkloadKind.Thread, Probe = { Kind = WorkloadProbeKind.Heartbeat, Secret = Convert.ToBase64String(new byte[16]) } });
        });

        Assert.Equal(["w", "task", "thread"], options.Workloads.Select(w => w.Id));
    }

    [Theory]
    [InlineData("Swap.CommandTimeout", "Failover:Swap:CommandTimeout is 00:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Swap.MonitorReadyTimeout", "Failover:Swap:MonitorReadyTimeout is 02:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Swap.CommandAttempts low", "Failover:Swap:CommandAttempts is 0; it must be between 1 and 100.")]
    [InlineData("Swap.CommandAttempts high", "Failover:Swap:CommandAttempts is 101; it must be between 1 and 100.")]
    [InlineData("Peers.Lan", "Failover:Peers: node 2 is listed with different Lan values ('a', 'b'); a node is on one LAN.")]
    [InlineData("Id duplicate", "Failover:Workloads:1:Id is 'w', which an earlier workload already has; workload ids must be unique.")]
    [InlineData("Id wire collision", "Failover:Workloads:2:Id 'w1180600' has the same wire id as 'w673879'; rename one of them.")]
    [InlineData("Id characters", "Failover:Workloads:0:Id: Workload id 'bad id' contains ' ' (U+0020); only ASCII letters, digits, '-', '_', '.' and ':' are allowed.")]
    [InlineData("Id empty", "Failover:Workloads:0:Id: Workload id '' has 0 characters; it must have 1 to 128.")]
    [InlineData("Workload null", "Failover:Workloads:1 is empty.")]
    [InlineData("Kind", "Failover:Workloads:0:Kind is 9; it must be Process, HostedService, Task or Thread.")]
    [InlineData("Process.FileName empty", "Failover:Workloads:0:Process:FileName is empty; a Process workload needs the program to run.")]
    [InlineData("Process.FileName NUL", "Failover:Workloads:0:Process:FileName contains a NUL character.")]
    [InlineData("Process.Arguments", "Failover:Workloads:0:Process:Arguments:1 is null or contains a NUL character.")]
    [InlineData("Process.Environment", "Failover:Workloads:0:Process:Environment has a variable named 'A=B'; names are non-empty without '=' or NUL.")]
    [InlineData("Process.StopTimeout", "Failover:Workloads:0:Process:StopTimeout is 00:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Probe.Kind", "Failover:Workloads:0:Probe:Kind is 5; it must be KeyResponse or Heartbeat.")]
    [InlineData("Probe.Interval", "Failover:Workloads:0:Probe:Interval is 00:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Probe.Timeout", "Failover:Workloads:0:Probe:Timeout is 00:00:02; it must be between 00:00:00.0010000 and the Interval (00:00:01), so one key is outstanding at a time.")]
    [InlineData("Probe.MissedProbes low", "Failover:Workloads:0:Probe:MissedProbes is 0; it must be between 1 and 1000.")]
    [InlineData("Probe.MissedProbes high", "Failover:Workloads:0:Probe:MissedProbes is 1001; it must be between 1 and 1000.")]
    [InlineData("Probe.Secret short", "Failover:Workloads:0:Probe:Secret decodes to 8 bytes; it must be at least 16.")]
    [InlineData("Restart.StableAfter", "Failover:Workloads:0:Restart:StableAfter is 00:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Restart.BackoffInitial", "Failover:Workloads:0:Restart:BackoffInitial is 00:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Restart.BackoffMax", "Failover:Workloads:0:Restart:BackoffMax is 00:00:00.5000000; it must be between BackoffInitial (00:00:01) and 01:00:00.")]
    [InlineData("Restart.MaxFailures low", "Failover:Workloads:0:Restart:MaxFailures is 0; it must be between 1 and 254.")]
    [InlineData("Restart.MaxFailures high", "Failover:Workloads:0:Restart:MaxFailures is 255; it must be between 1 and 254.")]
    [InlineData("Nodes", "Failover:Workloads:0:Nodes names node 9, which is neither this node nor a configured peer.")]
    [InlineData("MonitorNodes", "Failover:Workloads:0:MonitorNodes names node 8, which is neither this node nor a configured peer.")]
    [InlineData("HomeNode unknown", "Failover:Workloads:0:HomeNode is 9; it must be a node of the cluster the workload may run on.")]
    [InlineData("HomeNode outside Nodes", "Failover:Workloads:0:HomeNode is 3; it must be a node of the cluster the workload may run on.")]
    public void Each_rule_names_the_option_path_and_the_bad_value(string rule, string expected)
    {
        string[] failures = Failures(o => Change(o, rule));
        Assert.Contains(expected, failures);
    }

    [Fact]
    public void A_secret_that_is_not_base64_is_reported_by_its_length_never_its_value()
    {
        const string secret = "hunter2-is-not-base64!";
        string failure = Assert.Single(Failures(o => o.Workloads[0].Probe.Secret = secret));
        Assert.Equal($"Failover:Workloads:0:Probe:Secret (a value of {secret.Length} characters) is not valid base64.", failure);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_option_of_every_workload_is_reported_at_once()
    {
        string[] failures = Failures(o =>
        {
            o.Workloads[0].Probe.MissedProbes = 0;
            o.Workloads[0].Restart.MaxFailures = 0;
            o.Workloads.Add(new FailoverWorkloadOptions { Id = "second", Kind = WorkloadKind.Task, Nodes = [7] });
        });

        Assert.Equal(
            [
                "Failover:Workloads:0:Probe:MissedProbes is 0; it must be between 1 and 1000.",
                "Failover:Workloads:0:Restart:MaxFailures is 0; it must be between 1 and 254.",
                "Failover:Workloads:1:Nodes names node 7, which is neither this node nor a configured peer.",
            ],
            failures);
    }

    [Fact]
    public void Values_bound_from_configuration_are_checked_the_same_way()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Failover:Workloads:0:Id"] = "from-config",
            ["Failover:Workloads:0:Kind"] = "Task",
            ["Failover:Workloads:0:Probe:Interval"] = "00:00:00.200",
            ["Failover:Workloads:0:Probe:Timeout"] = "00:00:00.300",
            ["Failover:Swap:CommandAttempts"] = "0",
        }).Build();

        string[] failures = Failures(_ => { }, configuration);

        Assert.Equal(
            [
                "Failover:Swap:CommandAttempts is 0; it must be between 1 and 100.",
                "Failover:Workloads:0:Probe:Timeout is 00:00:00.3000000; it must be between 00:00:00.0010000 and the Interval (00:00:00.2000000), so one key is outstanding at a time.",
            ],
            failures);
    }
}
