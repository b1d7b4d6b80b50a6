// One Failover.Sdk agent in its own process, configured from the command line. Run two
// of them on loopback, kill one, and watch the other report it down within k intervals:
//
//   dotnet run -- --node 1 --transport Udp --listen 127.0.0.1:7001 --peer-id 2 --peer 127.0.0.1:7002
//   dotnet run -- --node 2 --transport Udp --listen 127.0.0.1:7002 --peer-id 1 --peer 127.0.0.1:7001
//
// Any option can also be given by its full key, e.g. --Failover:MissedHeartbeats=5.
// Peer changes are printed to standard output as one line each ("peer-down node=2 ..."),
// so scripts and tests can follow them; logs go to standard error.
//
// Workloads come from configuration, the same list on every node; a JSON file given with
// --settings FILE is added as configuration before the command line (whose keys win):
//
//   dotnet run -- --settings workloads.json --node 1 --transport Udp --listen 127.0.0.1:7001 ...
//
// with workloads.json holding { "Failover": { "Workloads": [ { "Id": "w1", "Process": { "FileName": "..." } } ] } }.
// This node's runs, monitors and swaps are printed as lines too ("run-started id=w1 token=1
// pid=4242", "swap-completed id=w1 from=1 to=2 ..."; see WorkloadEventLines.cs).
//
// With etcd, agents on several machines (or processes) agree on who runs a workload:
//
//   dotnet run -- --node 1 --etcd http://127.0.0.1:2379 --workload report --lease-ttl 4 --lease-margin 1000
//
// The owner prints "owner report <token>" and, given --fenced-resource host:port, writes
// "write <node> <token> <seq>" lines to that TCP service every 50 ms while its term is valid
// (see FencedWorkload.cs); it prints "stopped report <token> <reason>" when its term ends.
using System.Globalization;
using System.Net;
using Failover.Sdk.Agent;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Liveness;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
(string[] switches, IReadOnlyList<string> settingsFiles) = HostArguments.TakeSettings(args);
foreach (string file in settingsFiles)
{
    builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
}

builder.Configuration.AddCommandLine(HostArguments.Rewrite(switches), HostArguments.Switches);
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
IFailoverBuilder failover = builder.Services.AddFailover();
if (!string.IsNullOrEmpty(builder.Configuration["Failover:Etcd:Endpoints"]))
{
    failover.UseEtcd();
}

string? workloadId = builder.Configuration["AgentHost:Workload"];
string? resourceText = builder.Configuration["AgentHost:FencedResource"];
IPEndPoint? resource = null;
if (resourceText is not null && !IPEndPoint.TryParse(resourceText, out resource))
{
    throw new ArgumentException($"--fenced-resource is '{resourceText}'; it must be an address and port such as 127.0.0.1:9000.");
}

using IHost host = builder.Build();
FailoverAgent agent = host.Services.GetRequiredService<FailoverAgent>();
agent.PeerStatusChanged += (_, e) =>
{
    string kind = e.Current switch
    {
        PeerState.Down => "peer-down",
        PeerState.Up when e.Previous == PeerState.Up && e.IsRestart => "peer-restarted",
        _ => "peer-up",
    };
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{kind} node={e.NodeId} incarnation={e.Incarnation} previous-incarnation={e.PreviousIncarnation} silence-ms={e.Silence.TotalMilliseconds:F0}"));
};

WorkloadEventLines.Attach(host.Services.GetRequiredService<FailoverWorkloads>());

await host.StartAsync();
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready node={agent.NodeId} incarnation={agent.Incarnation}"));
IHostApplicationLifetime lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
Task campaign = workloadId is null
    ? Task.CompletedTask
    : new FencedWorkload(host.Services.GetRequiredService<FailoverCoordinator>(), workloadId, resource, host.Services.GetRequiredService<TimeProvider>())
        .RunAsync(lifetime.ApplicationStopping);
await host.WaitForShutdownAsync();
await campaign;
