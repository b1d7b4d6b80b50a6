using Failover.Sdk.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>
/// A session that lapses by the clock while a campaign is at work: a campaign that asks for the
/// session after it lapsed, but before its deadline timer has fired, waits for the next session
/// rather than spinning on the lapsed one; a claim answered after it lapsed starts no term.
/// </summary>
public sealed class CoordinatorSessionLapseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FailingStore _store;
    private readonly ServiceProvider _services;

    public CoordinatorSessionLapseTests()
    {
        _store = new FailingStore(new InMemoryCoordinationStore(_time));
        _services = FailingStore.NodeOne(_time, _store);
    }

    private FailoverCoordinator Coordinator => _services.GetRequiredService<FailoverCoordinator>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task A_campaign_waiting_on_a_session_that_lapsed_by_the_clock_waits_for_the_next_one()
    {
        await Coordinator.StartAsync(CancellationToken.None);
        _store.RenewalsFail = _store.ReadsFail = true;
        using var stopCampaign = new CancellationTokenSource();
        Task campaign = Coordinator.RunAsOwnerAsync("w", _ => Task.CompletedTask, stopCampaign.Token);

        // In one step past the session's safe life (10 s - 2 s): the campaign's retry comes due
        // first, finds the session invalid by the clock and waits for it to end; the deadline
        // timer then ends it, and the campaign's wait is the first of its callbacks to run. A
        // campaign that spins there never lets the step return: it is stopped after a deadline.
        Task step = Task.Run(() => _time.Advance(TimeSpan.FromSeconds(9)));
        bool returned = await Task.WhenAny(step, Task.Delay(TimeSpan.FromSeconds(10))) == step;
        if (!returned)
        {
            await stopCampaign.CancelAsync();
            await step;
        }

        Assert.True(returned, "advancing past the session's deadline did not return: the campaign spun on the lapsed session");
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
        _store.RenewalsFail = _store.ReadsFail = false;
        await Task.Run(() => _time.Advance(TimeSpan.FromSeconds(10)));
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
        OwnershipTerm? term = Coordinator.GetTerm("w");
        Assert.NotNull(term);
        Assert.True(term.IsValid);
    }

    [Fact]
    public async Task A_claim_answered_after_the_session_lapsed_starts_no_term()
    {
        SynchronizationContext.SetSynchronizationContext(null); // continuations inline, as in the simulator
        await Coordinator.StartAsync(CancellationToken.None);
        _store.RenewalsFail = true;
        _store.HoldClaims = true;
        int runs = 0;
        using var stopCampaign = new CancellationTokenSource();
        Task campaign = Coordinator.RunAsOwnerAsync("w", term =>
        {
            runs++;
            Assert.True(term.IsValid);
            return Task.CompletedTask;
        }, stopCampaign.Token);
        Assert.Equal(1, _store.HeldClaims); // the claim is on its way

        _time.Advance(TimeSpan.FromSeconds(9)); // past the session's safe life (10 s - 2 s), before the lease's 10 s
        _store.ReleaseClaims(); // the store's answer, from before the lapse: node 1 became the owner

        Assert.Equal(0, runs);
        Assert.Null(Coordinator.GetTerm("w"));

        // The next session claims again (its answer held too, until now) and runs the workload.
        _store.RenewalsFail = _store.HoldClaims = false;
        _store.ReleaseClaims();
        for (int second = 0; second < 12 && runs == 0; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, runs);
        Assert.True(Coordinator.GetTerm("w")?.IsValid);
        Assert.False(campaign.IsCompleted, $"the campaign ended: {campaign.Exception?.GetBaseException().Message}");
    }
}
