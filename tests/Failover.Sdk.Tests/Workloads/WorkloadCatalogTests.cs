using System.Text;
using Failover.Sdk.Configuration;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>The catalog joins the workloads' settings (configuration and builder) with their code (FS-7).</summary>
public class WorkloadCatalogTests
{
    private static readonly Func<WorkloadContext, CancellationToken, Task> Body = (_, stop) => Task.Delay(Timeout.Infinite, stop);

    private static readonly Action<WorkloadContext, CancellationToken> Thread = (_, stop) => stop.WaitHandle.WaitOne();

    /// <summary>The options and the code a container holds after <paramref name="declare"/>, as the workload manager reads them.</summary>
    private static WorkloadCatalog CatalogOf(Dictionary<string, string?> settings, Action<IFailoverBuilder> declare, out FailoverOptions options)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        IFailoverBuilder failover = builder.Services.AddFailover(o => o.NodeId = 1);
        declare(failover);
        using IHost host = builder.Build();
        options = host.Services.GetRequiredService<IOptions<FailoverOptions>>().Value;
        return WorkloadCatalog.Build(options.Workloads, host.Services.GetServices<WorkloadCode>());
    }

    [Theory]
    [InlineData(WorkloadKind.Task)]
    [InlineData(WorkloadKind.Thread)]
    [InlineData(WorkloadKind.HostedService)]
    public void An_in_process_kind_without_code_is_a_clear_error(WorkloadKind kind)
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() =>
            WorkloadCatalog.Build([new FailoverWorkloadOptions { Id = "orphan", Kind = kind }], []));

        Assert.Equal(
            $"Workload 'orphan' is a {kind} but no code was registered for it; declare it with the matching AddFailover() builder method (AddTaskWorkload, AddThreadWorkload, AddHostedServiceWorkload).",
            error.Message);
    }

    [Fact]
    public void Code_of_another_kind_does_not_count()
    {
        // Settings say thread; the code registered is a task body: still no thread to run.
        Assert.Throws<InvalidOperationException>(() => WorkloadCatalog.Build(
            [new FailoverWorkloadOptions { Id = "w", Kind = WorkloadKind.Thread }],
            [new WorkloadCode("w") { TaskBody = Body }]));
    }

    [Fact]
    public async Task A_host_whose_configuration_declares_an_in_process_workload_without_code_does_not_start()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Failover:Workloads:0:Id"] = "declared-only",
            ["Failover:Workloads:0:Kind"] = "Task",
        });
        builder.Services.AddFailover(o => o.NodeId = 1);
        using IHost host = builder.Build();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.StartsWith("Workload 'declared-only' is a Task but no code was registered for it", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public void A_process_workload_needs_no_code()
    {
        WorkloadCatalog catalog = WorkloadCatalog.Build([new FailoverWorkloadOptions { Id = "proc", Process = { FileName = "/usr/bin/sleep" } }], []);
        WorkloadDescriptor proc = Assert.Single(catalog.All);
        Assert.Null(proc.TaskBody);
        Assert.Null(proc.ThreadBody);
        Assert.Null(proc.HostedServiceFactory);
    }

    [Fact]
    public void A_configuration_entry_and_builder_code_with_the_same_id_are_one_workload()
    {
        WorkloadCatalog catalog = CatalogOf(
            new()
            {
                ["Failover:Peers:0:NodeId"] = "2",
                ["Failover:Peers:1:NodeId"] = "3",
                ["Failover:Workloads:0:Id"] = "reports",
                ["Failover:Workloads:0:Kind"] = "Process", // the builder's kind wins: it brings the code
                ["Failover:Workloads:0:Priority"] = "1",
                ["Failover:Workloads:0:HomeNode"] = "2",
                ["Failover:Workloads:0:Nodes:0"] = "2",
                ["Failover:Workloads:0:Nodes:1"] = "3",
                ["Failover:Workloads:0:Probe:Interval"] = "00:00:00.250",
                ["Failover:Workloads:0:Probe:MissedProbes"] = "5",
                ["Failover:Workloads:1:Id"] = "proc",
                ["Failover:Workloads:1:Process:FileName"] = "/usr/bin/sleep",
            },
            failover => failover
                .AddTaskWorkload("reports", Body, w => w.Priority = 3)
                .AddThreadWorkload("ticker", Thread),
            out FailoverOptions options);

        Assert.Equal(["reports", "proc", "ticker"], catalog.All.Select(w => w.Id));
        FailoverWorkloadOptions reports = Assert.Single(options.Workloads, w => w.Id == "reports");
        Assert.Equal(WorkloadKind.Task, reports.Kind);
        Assert.Equal(3, reports.Priority); // the builder's configure runs after the configuration
        Assert.Equal(2u, reports.HomeNode);
        Assert.Equal([2u, 3u], reports.Nodes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), reports.Probe.Interval);
        Assert.Equal(5, reports.Probe.MissedProbes);

        Assert.Same(Body, catalog.Find("reports")!.TaskBody);
        Assert.Equal(WorkloadKind.Process, catalog.Find("proc")!.Kind);
        Assert.Same(Thread, catalog.Find("ticker")!.ThreadBody);
        Assert.Equal(WorkloadKind.Thread, catalog.Find("ticker")!.Kind);
    }

    [Fact]
    public void A_builder_method_alone_declares_the_workload_with_its_settings()
    {
        WorkloadCatalog catalog = CatalogOf(
            new(),
            failover => failover.AddHostedServiceWorkload<ContextService>("svc", w =>
            {
                w.Probe.Kind = WorkloadProbeKind.Heartbeat;
                w.MonitorNodes = [1];
            }),
            out FailoverOptions options);

        WorkloadDescriptor svc = Assert.Single(catalog.All);
        Assert.Equal(WorkloadKind.HostedService, svc.Kind);
        Assert.Equal(WorkloadProbeKind.Heartbeat, svc.Options.Probe.Kind);
        Assert.Equal([1u], Assert.Single(options.Workloads).MonitorNodes);

        // The factory makes a fresh service per run, handing it the run's context.
        using ServiceProvider services = new ServiceCollection().BuildServiceProvider();
        var context = new WorkloadContext("svc", 1, 17, () => { });
        var first = (ContextService)svc.HostedServiceFactory!(services, context);
        var second = (ContextService)svc.HostedServiceFactory!(services, context);
        Assert.Same(context, first.Context);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Declaring_a_workload_with_a_bad_id_fails_at_once()
    {
        var services = new ServiceCollection();
        IFailoverBuilder failover = services.AddFailover();
        ArgumentException error = Assert.Throws<ArgumentException>(() => failover.AddTaskWorkload("no spaces", Body));
        Assert.Contains("Workload id 'no spaces' contains ' '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Workloads_are_found_by_id_and_by_wire_id()
    {
        WorkloadCatalog catalog = WorkloadCatalog.Build(
            [new FailoverWorkloadOptions { Id = "a", Kind = WorkloadKind.Task }, new FailoverWorkloadOptions { Id = "b", Kind = WorkloadKind.Task }],
            [new WorkloadCode("a") { TaskBody = Body }, new WorkloadCode("b") { TaskBody = Body }]);

        WorkloadDescriptor b = catalog.Find("b")!;
        Assert.Same(b, catalog.Find(WorkloadWireIds.Of("b")));
        Assert.Null(catalog.Find("c"));
        Assert.Null(catalog.Find(WorkloadWireIds.Of("c")));
    }

    [Fact]
    public void Two_ids_with_one_wire_id_are_refused()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => WorkloadCatalog.Build(
            [new FailoverWorkloadOptions { Id = "w673879", Process = { FileName = "x" } }, new FailoverWorkloadOptions { Id = "w1180600", Process = { FileName = "x" } }],
            []));
        Assert.Equal($"Workloads 'w673879' and 'w1180600' have the same wire id {0x594f30f6u}; rename one of them.", error.Message);
    }

    [Fact]
    public void The_probe_secret_is_the_configured_one_or_else_the_id()
    {
        byte[] configured = Encoding.ASCII.GetBytes("sixteen byte key");
        WorkloadCatalog catalog = WorkloadCatalog.Build(
            [
                new FailoverWorkloadOptions { Id = "keyed", Process = { FileName = "x" }, Probe = { Secret = Convert.ToBase64String(configured) } },
                new FailoverWorkloadOptions { Id = "plain", Process = { FileName = "x" } },
            ],
            []);

        Assert.Equal(configured, catalog.Find("keyed")!.ProbeSecret);
        Assert.Equal(Encoding.UTF8.GetBytes("plain"), catalog.Find("plain")!.ProbeSecret);
    }

    /// <summary>A hosted service that takes its run's context.</summary>
    internal sealed class ContextService(WorkloadContext context) : IHostedService
    {
        public WorkloadContext Context { get; } = context;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
