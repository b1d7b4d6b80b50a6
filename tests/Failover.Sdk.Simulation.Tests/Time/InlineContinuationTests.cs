using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Tests.Time;

/// <summary>
/// The runtime's own timer-driven awaitables, completed by virtual timers, continue inline
/// on the thread that runs virtual time: so when a Run call returns, everything it woke has
/// run, with no waiting.
/// </summary>
public sealed class InlineContinuationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly VirtualTimeProvider _time = new(Start);

    private TimeSpan Elapsed => _time.GetUtcNow() - Start;

    /// <summary>A context that swallows what is posted to it, as a test framework's context might hold it back.</summary>
    private sealed class HoldingContext : SynchronizationContext
    {
        public int Posted { get; private set; }

        public override void Post(SendOrPostCallback d, object? state) => Posted++;
    }

    private async Task TickLoopAsync(PeriodicTimer timer, List<(TimeSpan At, int Thread)> ticks, int count)
    {
        for (int i = 0; i < count && await timer.WaitForNextTickAsync().ConfigureAwait(false); i++)
        {
            ticks.Add((Elapsed, Environment.CurrentManagedThreadId));
        }
    }

    private async Task DelayLoopAsync(List<TimeSpan> woke, CancellationToken cancellationToken)
    {
        for (int i = 1; i <= 3; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(i * 10), _time, cancellationToken).ConfigureAwait(false);
            woke.Add(Elapsed);
        }
    }

    [Fact]
    public void PeriodicTimer_ticks_in_virtual_time_and_its_awaiter_continues_inline()
    {
        var ticks = new List<(TimeSpan At, int Thread)>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), _time);
        Task loop = TickLoopAsync(timer, ticks, count: 5);

        _time.RunFor(TimeSpan.FromMilliseconds(350));

        // Read at once: a continuation posted to the thread pool could not have been counted here reliably.
        Assert.Equal([100, 200, 300], ticks.Select(t => t.At.TotalMilliseconds));
        Assert.All(ticks, t => Assert.Equal(Environment.CurrentManagedThreadId, t.Thread));

        _time.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.Equal([100, 200, 300, 400, 500], ticks.Select(t => t.At.TotalMilliseconds));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public void Task_Delay_on_virtual_time_completes_at_its_due_instant_and_continues_inline()
    {
        var woke = new List<TimeSpan>();
        using var cts = new CancellationTokenSource();
        Task loop = DelayLoopAsync(woke, cts.Token);

        Assert.Equal(3, _time.RunFor(TimeSpan.FromSeconds(1)));

        Assert.Equal([10, 30, 60], woke.Select(t => t.TotalMilliseconds));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public void Continuations_run_inline_even_when_the_runner_has_a_synchronization_context()
    {
        var context = new HoldingContext();
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            var woke = new List<TimeSpan>();
            Task loop = DelayLoopAsync(woke, CancellationToken.None);

            _time.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal([10, 30, 60], woke.Select(t => t.TotalMilliseconds));
            Assert.True(loop.IsCompletedSuccessfully);
            Assert.Equal(0, context.Posted);
            Assert.Same(context, SynchronizationContext.Current);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    [Fact]
    public void Task_Delay_truncates_to_whole_milliseconds_so_a_sub_millisecond_delay_never_reaches_the_clock()
    {
        // Pinned runtime behaviour the simulator must live with: Task.Delay(TimeSpan,
        // TimeProvider) converts to whole milliseconds, and 0 ms completes synchronously
        // without a timer. FailoverAgent never waits under 1 ms for this reason.
        Task sub = Task.Delay(TimeSpan.FromTicks(9_999), _time);
        Assert.True(sub.IsCompleted);
        Assert.Equal(0, _time.ScheduledTimerCount);

        Task truncated = Task.Delay(TimeSpan.FromTicks(19_999), _time);
        _time.RunNext();
        Assert.True(truncated.IsCompleted);
        Assert.Equal(TimeSpan.FromMilliseconds(1), Elapsed);
    }

    [Fact]
    public async Task Cancelling_a_virtual_delay_cancels_it_without_moving_time()
    {
        using var cts = new CancellationTokenSource();
        Task delay = Task.Delay(TimeSpan.FromSeconds(5), _time, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay);
        Assert.Equal(0, _time.ScheduledTimerCount);
        Assert.Equal(Start, _time.GetUtcNow());
    }
}
