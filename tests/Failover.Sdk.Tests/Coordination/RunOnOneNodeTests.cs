using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>EX-6: a BackgroundService on exactly one of several real hosts, moved when its host stops.</summary>
public sealed class RunOnOneNodeTests
{
    /// <summary>What the copies of <see cref="ReportService"/> did, across every host of a test.</summary>
    public sealed class Ledger
    {
        private int _running;

        public int MostAtOnce { get; private set; }

        public List<(uint Node, long Token)> Starts { get; } = [];

        public uint? RunningOn { get; private set; }

        public void Started(uint node, long token)
        {
            lock (this)
            {
                _running++;
                MostAtOnce = Math.Max(MostAtOnce, _running);
                Starts.Add((node, token));
                RunningOn = node;
            }
        }

        public void Stopped(uint node)
        {
            lock (this)
            {
                _running--;
                if (RunningOn == node)
                {
                    RunningOn = null;
                }
            }
        }
    }

    /// <summary>The user's service: nothing in it knows about failover but what it logs.</summary>
    public sealed class ReportService(Ledger ledger, FailoverCoordinator coordinator) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            OwnershipTerm term = coordinator.GetTerm("nightly-report") ?? throw new InvalidOperationException("started without a term");
            ledger.Started(coordinator.NodeId, term.FencingToken);
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                ledger.Stopped(coordinator.NodeId);
            }
        }
    }

    private static IHost Node(uint id, InMemoryCoordinationStore store, Ledger ledger)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(ledger);
        builder.Services.AddFailover(o =>
            {
                o.NodeId = id;
                o.Coordination.LeaseTimeToLive = TimeSpan.FromSeconds(2);
                o.Coordination.LeaseSafetyMargin = TimeSpan.FromMilliseconds(500);
            })
            .UseCoordinationStore(store)
            .RunOnOneNode<ReportService>("nightly-report");
        return builder.Build();
    }

    [Fact]
    public async Task The_service_runs_on_one_host_and_moves_when_that_host_stops()
    {
        using var store = new InMemoryCoordinationStore();
        var ledger = new Ledger();
        using IHost one = Node(1, store, ledger);
        using IHost two = Node(2, store, ledger);
        using IHost three = Node(3, store, ledger);
        IHost[] hosts = [one, two, three];
        foreach (IHost host in hosts)
        {
            await host.StartAsync();
        }

        await Eventually.TrueAsync(() => ledger.RunningOn is not null, "the service starts on some host");
        uint first = ledger.RunningOn!.Value;
        await hosts[first - 1].StopAsync();
        await Eventually.TrueAsync(() => ledger.RunningOn is { } n && n != first, "the service moves to another host");
        uint second = ledger.RunningOn!.Value;
        await hosts[second - 1].StopAsync();
        await Eventually.TrueAsync(() => ledger.RunningOn is { } n && n != second && n != first, "and to the last one");

        Assert.Equal(1, ledger.MostAtOnce);
        Assert.Equal(3, ledger.Starts.Count);
        Assert.Equal(ledger.Starts.Select(s => s.Token).Order(), ledger.Starts.Select(s => s.Token));
        foreach (IHost host in hosts)
        {
            await host.StopAsync();
        }

        Assert.Null(ledger.RunningOn);
    }

    [Fact]
    public void A_bad_workload_id_fails_at_registration()
    {
        var services = new ServiceCollection();
        ArgumentException error = Assert.Throws<ArgumentException>(() => services.AddFailover().RunOnOneNode<ReportService>("nightly report"));
        Assert.Contains("nightly report", error.Message, StringComparison.Ordinal);
    }
}
