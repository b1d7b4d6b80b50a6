// One Failover.Sdk agent in its own process, configured from the command line. Run two
// of them on loopback, kill one, and watch the other report it down within k intervals:
//
//   dotnet run -- --node 1 --transport Udp --listen 127.0.0.1:7001 --peer-id 2 --peer 127.0.0.1:7002
//   dotnet run -- --node 2 --transport Udp --listen 127.0.0.1:7002 --peer-id 1 --peer 127.0.0.1:7001
//
// Any option can also be given by its full key, e.g. --Failover:MissedHeartbeats=5.
// Peer changes are printed to standard output as one line each ("peer-down node=2 ..."),
// so scripts and tests can follow them; logs go to standard error.
using System.Globalization;
using Failover.Sdk.Agent;
using Failover.Sdk.Liveness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var switches = new Dictionary<string, string>
{
    ["--node"] = "Failover:NodeId",
    ["--transport"] = "Failover:Transport",
    ["--listen"] = "Failover:Paths:0:LocalEndPoint",
    ["--peer-id"] = "Failover:Peers:0:NodeId",
    ["--peer"] = "Failover:Peers:0:EndPoint",
    ["--interval"] = "Failover:HeartbeatInterval",
    ["--missed"] = "Failover:MissedHeartbeats",
    ["--key"] = "Failover:AuthenticationKey",
};

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Configuration.AddCommandLine(args, switches);
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.AddFailover();

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

await host.StartAsync();
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready node={agent.NodeId} incarnation={agent.Incarnation}"));
await host.WaitForShutdownAsync();
