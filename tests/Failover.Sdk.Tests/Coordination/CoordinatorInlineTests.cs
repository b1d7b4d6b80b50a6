using Failover.Sdk.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// The coordinator ends terms and stops on the thread that caused it, with nothing handed to
/// the thread pool: the simulator drives it from one thread in virtual time, and a run is only
/// deterministic if every continuation runs there, in order. (CancellationTokenSource.CancelAsync
/// and a cancelled Task.Delay both resume their waiters on the pool.)
/// </summary>
public sealed class CoordinatorInlineTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FailingStore _store;
    private readonly ServiceProvider _services;

    public CoordinatorInlineTests()
    {
        _store = new FailingStore(new InMemoryCoordinationStore(_time));
        _services = FailingStore.NodeOne(_time, _store);
    }

    private FailoverCoordinator Coordinator => _services.GetRequiredService<FailoverCoordinator>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    /// <summary>As the simulator runs its events: with no synchronization context, so continuations run inline on this thread.</summary>
    private static void RunLikeTheSimulator() => SynchronizationContext.SetSynchronizationContext(null);

    [Fact]
    public async Task A_term_ends_on_the_thread_that_changed_the_store()
    {
        RunLikeTheSimulator();
        var terms = new List<OwnershipTerm>();
        var endedOn = new List<int>();
        await Coordinator.StartAsync(CancellationToken.None);
        _ = Coordinator.RunAsOwnerAsync("w", term =>
        {
            terms.Add(term);
            term.Ended.UnsafeRegister(_ => endedOn.Add(Environment.CurrentManagedThreadId), null);
            return Task.CompletedTask;
        }, CancellationToken.None);
        OwnershipTerm first = Assert.Single(terms); // the in-memory store answers at once: acquired inline
        int me = Environment.CurrentManagedThreadId;

        bool released = await _store.Inner.ReleaseAsync(first.Ownership);

        Assert.True(released);
        Assert.Equal([me], endedOn);
        // The campaign went on inline too: it took the free workload again, under a newer token.
        Assert.Equal(2, terms.Count);
        Assert.True(terms[1].FencingToken > first.FencingToken);
        Assert.Same(terms[1], Coordinator.GetTerm("w"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the term's watch keeps failing: it waits between retries when the stop comes
    public async Task Stopping_ends_terms_and_revokes_the_lease_before_StopAsync_returns(bool watchesFail)
    {
        RunLikeTheSimulator();
        _store.WatchesFail = watchesFail;
        var endedOn = new List<int>();
        await Coordinator.StartAsync(CancellationToken.None);
        Task campaign = Coordinator.RunAsOwnerAsync("w", term =>
        {
            term.Ended.UnsafeRegister(_ => endedOn.Add(Environment.CurrentManagedThreadId), null);
            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.NotNull(Coordinator.GetTerm("w"));
        Assert.Equal(1, _store.Inner.LeaseCount);
        int me = Environment.CurrentManagedThreadId;

        Task stop = Coordinator.StopAsync(CancellationToken.None);

        Assert.Equal([me], endedOn);
        Assert.True(stop.IsCompletedSuccessfully, $"StopAsync is {stop.Status}");
        Assert.True(campaign.IsCompletedSuccessfully, $"the campaign is {campaign.Status}");
        Assert.Null(Coordinator.GetTerm("w"));
        Assert.Equal(0, _store.Inner.LeaseCount);
        Assert.Null((await _store.Inner.GetOwnerAsync("w")).Owner);
    }

    [Fact]
    public async Task A_campaign_backing_off_after_store_errors_stops_before_StopAsync_returns()
    {
        RunLikeTheSimulator();
        await Coordinator.StartAsync(CancellationToken.None);
        _store.ReadsFail = true;
        Task campaign = Coordinator.RunAsOwnerAsync("w", _ => Task.CompletedTask, CancellationToken.None);
        Assert.False(campaign.IsCompleted); // waiting out its first retry delay

        Task stop = Coordinator.StopAsync(CancellationToken.None);

        Assert.True(campaign.IsCompletedSuccessfully, $"the campaign is {campaign.Status}");
        Assert.True(stop.IsCompletedSuccessfully, $"StopAsync is {stop.Status}");
        Assert.Equal(0, _store.Inner.LeaseCount);
    }
}
