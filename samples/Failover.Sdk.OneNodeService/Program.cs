// EX-6, the most asked-for use of leader election in .NET: run this BackgroundService on
// exactly one node of the cluster, and move it when that node dies. Three processes, one etcd:
//
//   etcd --data-dir /tmp/one-node-etcd &
//   dotnet run --project samples/Failover.Sdk.OneNodeService -- --node 1
//   dotnet run --project samples/Failover.Sdk.OneNodeService -- --node 2
//   dotnet run --project samples/Failover.Sdk.OneNodeService -- --node 3
//
// One of them prints "nightly-report running on node N with fencing token T" every second.
// Kill it (Ctrl+C, or kill -9): within the lease's time to live another one prints the same
// with a larger token. --etcd URL points elsewhere (default http://127.0.0.1:2379).
using Failover.Sdk.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--node"] = "Failover:NodeId",
    ["--etcd"] = "Failover:Etcd:Endpoints",
});

// The whole of it: every node registers the service; the one that owns "nightly-report" in
// etcd runs it, with a fencing token larger than every earlier owner's.
builder.Services.AddFailover(o =>
    {
        o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(4);
        o.Coordination.LeaseSafetyMargin = TimeSpan.FromSeconds(1);
    })
    .UseEtcd(o => o.Endpoints ??= "http://127.0.0.1:2379")
    .RunOnOneNode<NightlyReport>("nightly-report");

await builder.Build().RunAsync();
