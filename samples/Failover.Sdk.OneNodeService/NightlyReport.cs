using System.Globalization;
using Failover.Sdk.Coordination;
using Microsoft.Extensions.Hosting;

/// <summary>
/// The user's service. Nothing in it knows about failover except that it reads its fencing
/// token, to send with every write to a resource that must refuse a stale owner.
/// </summary>
internal sealed class NightlyReport(FailoverCoordinator coordinator, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long token = coordinator.GetTerm("nightly-report")?.FencingToken ?? 0;
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        do
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nightly-report running on node {coordinator.NodeId} with fencing token {token}"));
        }
        while (await Next(tick, stoppingToken));

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nightly-report stopped on node {coordinator.NodeId}"));
    }

    private static async Task<bool> Next(PeriodicTimer tick, CancellationToken stoppingToken)
    {
        try
        {
            return await tick.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
