using System.Diagnostics.Metrics;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>A node's coordinator built by AddFailover, on a shared store reached through a <see cref="CuttableStore"/>, with the terms it ran.</summary>
internal sealed class CoordinatedNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _campaigns = new();
    private readonly List<Task> _running = [];

    public CoordinatedNode(uint id, ICoordinationStore shared, TimeProvider time, Action<FailoverCoordinationOptions>? configure = null)
    {
        Id = id;
        Store = new CuttableStore(shared, time);
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddMetrics();
        services.AddFailover(o =>
        {
            o.NodeId = id;
            o.Incarnation = 1;
            o.Coordination.RequestTimeout = TimeSpan.FromSeconds(1);
            configure?.Invoke(o.Coordination);
        }).UseCoordinationStore(Store);
        _services = services.BuildServiceProvider();
        Coordinator = _services.GetRequiredService<FailoverCoordinator>();
        Meters = _services.GetRequiredService<IMeterFactory>();
    }

    public IMeterFactory Meters { get; }

    public uint Id { get; }

    public CuttableStore Store { get; }

    public FailoverCoordinator Coordinator { get; }

    public List<TermLog> Terms { get; } = [];

    public TermLog? Running
    {
        get
        {
            lock (Terms)
            {
                return Terms.LastOrDefault(t => t.Ended is null);
            }
        }
    }

    public Task StartAsync() => Coordinator.StartAsync(CancellationToken.None);

    /// <summary>Campaigns for <paramref name="workloadId"/>, logging each term's start and end by <paramref name="time"/>; <paramref name="work"/> runs in the term.</summary>
    public void Campaign(string workloadId, TimeProvider time, Func<OwnershipTerm, Task>? work = null)
    {
        _running.Add(Coordinator.RunAsOwnerAsync(workloadId, async term =>
        {
            var log = new TermLog(term, time.GetUtcNow());
            lock (Terms)
            {
                Terms.Add(log);
            }

            term.Ended.Register(() => log.Ended = time.GetUtcNow());
            if (work is not null)
            {
                await work(term);
            }
        }, _campaigns.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _campaigns.CancelAsync();
        // A node still cut from the store cannot revoke its lease: its request waits for a
        // timeout on the fake clock, which no longer moves. Give up on it after a real deadline.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await Coordinator.StopAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (Store.IsCut)
        {
        }

        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(10));
        await _services.DisposeAsync();
        _campaigns.Dispose();
    }

    internal sealed class TermLog(OwnershipTerm term, DateTimeOffset started)
    {
        public OwnershipTerm Term { get; } = term;

        public DateTimeOffset Started { get; } = started;

        public DateTimeOffset? Ended { get; set; }
    }
}
